// The allocation gate's probe (Benchmarks/alloc/gate.sh), LD_PRELOADed into `recsmith serve`.
//
// Built twice from this file by gate.sh (never committed as a binary):
//   counters.so    counts every allocation (malloc, calloc, realloc, reallocarray, posix_memalign,
//                  aligned_alloc, memalign, valloc, pvalloc), the bytes asked for, and every free, with
//                  relaxed atomics, passing each call on to glibc's allocator (__libc_*) unchanged;
//   marks.so       (-DRECSMITH_MARKS_ONLY) no allocator hooks, so a run under callgrind counts the
//                  server's own instructions only.
// Both install a SIGUSR2 handler when ALLOC_GATE_COUNTERS_FILE is set (recsmith uses SIGTERM, SIGINT and
// SIGHUP, never SIGUSR2). On each SIGUSR2 the handler asks callgrind to dump its counts (a no-op outside
// valgrind; a dump also zeroes them), then writes one line
//     mark=K allocations=A bytes=B frees=F
// to "$ALLOC_GATE_COUNTERS_FILE.tmp" and renames it to $ALLOC_GATE_COUNTERS_FILE, so a reader never sees half a
// line. K counts the marks, so the driver knows which callgrind dump belongs to which mark. The handler uses
// only async-signal-safe calls (open, write, close, rename) and formats numbers itself.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

static uint64_t allocations;
static uint64_t bytes;
static uint64_t frees;
static uint64_t marks;
static char path[4096];
static char temporary_path[4096 + 8];

#ifndef RECSMITH_MARKS_ONLY
// glibc's own entry points: calling them avoids dlsym(RTLD_NEXT), which itself allocates.
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static inline void count(size_t size) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes, size, __ATOMIC_RELAXED);
}

void *malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void *calloc(size_t count_, size_t size) {
    count(count_ * size);
    return __libc_calloc(count_, size);
}

void *realloc(void *pointer, size_t size) {
    count(size);
    return __libc_realloc(pointer, size);
}

void *reallocarray(void *pointer, size_t count_, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count_, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(pointer, total);
}

void free(void *pointer) {
    if (pointer) __atomic_fetch_add(&frees, 1, __ATOMIC_RELAXED);
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    return memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = memalign(alignment, size);
    if (!pointer) return ENOMEM;
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return memalign(page, (size + page - 1) / page * page);
}
#endif

// Appends the decimal digits of value to buffer at *length.
static void append_number(char *buffer, size_t *length, uint64_t value) {
    char digits[20];
    int count_ = 0;
    do {
        digits[count_++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (count_ > 0) buffer[(*length)++] = digits[--count_];
}

static void append_text(char *buffer, size_t *length, const char *text) {
    while (*text) buffer[(*length)++] = *text++;
}

static void on_mark(int signal_number) {
    (void)signal_number;
    int saved_errno = errno;
    CALLGRIND_DUMP_STATS;
    uint64_t mark = __atomic_add_fetch(&marks, 1, __ATOMIC_RELAXED);
    char line[160];
    size_t length = 0;
    append_text(line, &length, "mark=");
    append_number(line, &length, mark);
    append_text(line, &length, " allocations=");
    append_number(line, &length, __atomic_load_n(&allocations, __ATOMIC_RELAXED));
    append_text(line, &length, " bytes=");
    append_number(line, &length, __atomic_load_n(&bytes, __ATOMIC_RELAXED));
    append_text(line, &length, " frees=");
    append_number(line, &length, __atomic_load_n(&frees, __ATOMIC_RELAXED));
    line[length++] = '\n';
    int fd = open(temporary_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ssize_t written = write(fd, line, length);
        close(fd);
        if (written == (ssize_t)length) rename(temporary_path, path);
    }
    errno = saved_errno;
}

__attribute__((constructor)) static void install(void) {
    const char *file = getenv("ALLOC_GATE_COUNTERS_FILE");
    if (!file || !*file || strlen(file) >= sizeof(path)) return;
    strcpy(path, file);
    strcpy(temporary_path, file);
    strcat(temporary_path, ".tmp");
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_mark;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR2, &action, NULL);
}
