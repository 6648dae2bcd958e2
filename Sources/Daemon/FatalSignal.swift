#if canImport(Glibc)
import Glibc
#endif

/// The signal the handler caught and the program has not acted on yet (0: none).
private var pendingFatalSignal: Int32 = 0

/// Open vSwitch's fatal-signal handling for command-line tools: SIGTERM, SIGINT, SIGHUP and
/// SIGALRM (`--timeout`) are logged (`fatal_signal|WARN|terminating with signal 14 (Alarm
/// clock)`) and then end the program by that same signal, so a caller sees the usual exit
/// status. SIGPIPE is ignored, so a closed stdout becomes a write error instead of a silent
/// death.
///
/// As in Open vSwitch, the handler only records the signal; the program acts on it where it
/// waits (its blocking calls return EINTR and call `run()`), so logging never happens inside
/// a signal handler and no extra thread is needed.
public enum FatalSignal {
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGALRM]

    /// Call first thing in `main`.
    public static func install() {
        pendingFatalSignal = 0
        signal(SIGPIPE, SIG_IGN)
        for s in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { pendingFatalSignal = $0 }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0   // no SA_RESTART: waits return EINTR and reach run()
            sigaction(s, &action, nil)
        }
    }

    /// `--timeout=SECS`: die by SIGALRM after `seconds`.
    public static func setTimeout(_ seconds: UInt32) {
        alarm(seconds)
    }

    /// If a fatal signal arrived: logs it and dies of it (`fatal_signal_run`).
    public static func run() {
        let received = pendingFatalSignal
        guard received != 0 else { return }
        Console.log("fatal_signal", "WARN", "terminating with signal \(received) (\(String(cString: strsignal(received))))")
        signal(received, SIG_DFL)
        raise(received)
        _exit(128 + received)
    }
}
