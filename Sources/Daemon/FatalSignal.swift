#if canImport(Glibc)
import Glibc
#endif

/// Open vSwitch's fatal-signal handling: SIGTERM, SIGINT, SIGHUP and SIGALRM (`--timeout`)
/// are logged (`fatal_signal|WARN|terminating with signal 15 (Terminated)`) and then end the
/// program by that same signal, so a caller sees the usual exit status. SIGPIPE is ignored,
/// so a closed stdout becomes a write error instead of a silent death.
///
/// The signals are blocked in every thread and taken by one thread in `sigwait`, which can log
/// safely whatever the main thread was doing.
public enum FatalSignal {
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGALRM]

    /// Call first thing in `main`, before any other thread exists.
    public static func install() {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var thread = pthread_t()
        _ = pthread_create(&thread, nil, { _ in
            FatalSignal.waitAndDie()
            return nil
        }, nil)
    }

    /// `--timeout=SECS`: die by SIGALRM after `seconds`.
    public static func setTimeout(_ seconds: UInt32) {
        alarm(seconds)
    }

    private static func waitAndDie() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        Console.log("fatal_signal", "WARN", "terminating with signal \(received) (\(String(cString: strsignal(received))))")
        signal(received, SIG_DFL)
        var mine = sigset_t()
        sigemptyset(&mine)
        sigaddset(&mine, received)
        pthread_sigmask(SIG_UNBLOCK, &mine, nil)
        raise(received)
        _exit(128 + received)
    }
}
