internal import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

extension BLAS {
    /// Re-runs OpenBLAS's kernel selection when it fell back to the generic SSE3 ("Prescott") kernels on a
    /// CPU that has AVX2 or AVX-512.
    ///
    /// Debian's OpenBLAS 0.3.21 does not recognise recent Xeons (they report a generic model) and picks
    /// Prescott, which runs sgemm about 4× slower than its SkylakeX kernels on the same machine. OpenBLAS
    /// reads `OPENBLAS_CORETYPE` only when it loads, before `main`; its exported `gotoblas_dynamic_quit` /
    /// `gotoblas_dynamic_init` redo that selection, so we set the variable, redo it, and restore the
    /// environment. Nothing happens when the user set `OPENBLAS_CORETYPE`, when OpenBLAS recognised the
    /// CPU, or when the library is not a DYNAMIC_ARCH build.
    static func selectKernelsForThisCPU() {
        #if canImport(Glibc) && arch(x86_64)
            guard getenv("OPENBLAS_CORETYPE") == nil, coreName == "Prescott" else { return }
            let flags = cpuFlags()
            let core: String
            if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains) {
                core = "SkylakeX"
            } else if flags.contains("avx2"), flags.contains("fma") {
                core = "Haswell"
            } else {
                return
            }
            guard let library = dlopen(nil, RTLD_NOW),
                let quit = dlsym(library, "gotoblas_dynamic_quit"),
                let initialize = dlsym(library, "gotoblas_dynamic_init")
            else { return }
            typealias Routine = @convention(c) () -> Void
            setenv("OPENBLAS_CORETYPE", core, 1)
            unsafeBitCast(quit, to: Routine.self)()
            unsafeBitCast(initialize, to: Routine.self)()
            unsetenv("OPENBLAS_CORETYPE")
        #endif
    }

    /// The feature flags of the first processor in /proc/cpuinfo (empty when unreadable).
    private static func cpuFlags() -> Set<String> {
        #if canImport(Glibc)
            guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
            defer { fclose(file) }
            var line: UnsafeMutablePointer<CChar>? = nil
            var capacity = 0
            defer { free(line) }
            while getline(&line, &capacity, file) > 0 {
                guard let line else { break }
                let text = String(cString: line)
                guard text.hasPrefix("flags") else { continue }
                let values = text.split(separator: ":", maxSplits: 1).last ?? ""
                return Set(values.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
            }
            return []
        #else
            return []
        #endif
    }
}
