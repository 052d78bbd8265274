// Compiler builtins Swift has no spelling for, as static inline functions (inlined into the Swift caller).

// Asks the CPU to bring the cache line holding `address` into every cache level, for a read soon: a hint that
// never faults and is a no-op where the target has no prefetch instruction.
static inline void recsmith_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
