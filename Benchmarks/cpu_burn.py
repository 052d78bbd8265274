"""Keeps one processor busy for SECONDS (run it at nice 10 to stand in for a training pass's workers) and prints
"stalls total_ms": the gaps of over 50 ms between two consecutive clock reads of its loop, which on a shared
virtual machine are the host taking the virtual processor away (the guest's scheduler never does it to a
running loop for that long).

    python3 cpu_burn.py SECONDS
"""
import sys
import time

STALL = 0.050


def main() -> None:
    end = time.monotonic() + float(sys.argv[1])
    last = time.monotonic()
    stalls, stalled = 0, 0.0
    while last < end:
        now = time.monotonic()
        if now - last > STALL:
            stalls += 1
            stalled += now - last
        last = now
    print(stalls, round(stalled * 1000))


if __name__ == "__main__":
    main()
