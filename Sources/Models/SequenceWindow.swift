/// One training example of `SequenceGRU`: `length` consecutive steps of a user's time-ordered items, starting at
/// `start` in `UserSequences.items`. Step t reads item `start + t` and is trained to predict item `start + t + 1`.
struct SequenceWindow {
    /// Index of the first input in `UserSequences.items`.
    var start: Int
    /// Number of steps (inputs), 1…window.
    var length: Int

    /// Every user's history with at least two items cut into windows of at most `window` steps, from the latest
    /// item back (so a user's last window ends where serving's input ends: at their latest item), the earliest
    /// window of a user holding the remainder.
    static func windows(of sequences: UserSequences, window: Int) -> [SequenceWindow] {
        var windows: [SequenceWindow] = []
        for user in 0..<sequences.userCount {
            let first = sequences.offsets[user]
            // Inputs are every item but the last; targets every item but the first.
            var end = sequences.offsets[user + 1] - 1
            while end > first {
                let start = max(first, end - window)
                windows.append(SequenceWindow(start: start, length: end - start))
                end = start
            }
        }
        return windows
    }
}
