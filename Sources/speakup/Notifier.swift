import Foundation
import CProcessHardening
import Glibc
import SpeakUpCore

/// Runs the settings' `notify-command` for a reminder: the program itself (no
/// shell, so nothing in a login name is read as shell syntax), the reminder's
/// sentence on standard input, and `{handler}` in its arguments replaced by the
/// handler's login. It never carries report content, only the reference and the deadline.
enum Notifier {
    static func send(_ reminder: Reminder) {
        guard let command = (try? Deployment.get())?.installation?.notifyCommand, let program = command.first else { return }
        signal(SIGPIPE, SIG_IGN)  // a notifier that stops reading must not end the tick
        let arguments = command.map { $0.replacingOccurrences(of: "{handler}", with: reminder.handler) }
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        // Nothing else of this process goes with it: not the store's files, nor a PostgreSQL connection
        // (swift-nio's sockets are not close-on-exec), which the notifier would otherwise hold open.
        let closing = speakup_spawn_close_from(&actions, 3)
        guard closing == 0 else {
            close(pipe[0])
            close(pipe[1])
            Diagnostics.say("The notify-command \(program) was not started: SpeakUp could not keep its own open files from it (\(String(cString: strerror(closing)))). The reminder is still in the workspace.")
            return
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let environment = [
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "SPEAKUP_REFERENCE=\(reminder.reference)", "SPEAKUP_HANDLER=\(reminder.handler)",
            "SPEAKUP_DEADLINE=\(reminder.deadline.rawValue)", "SPEAKUP_STAGE=\(reminder.stage.rawValue)",
        ]
        let envp = environment.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        // The group privilege is not the notifier's to hold.
        let spawned = GroupPrivilege.withoutGroup { posix_spawn(&pid, program, &actions, nil, argv, envp) }
        close(pipe[0])
        if spawned != 0 {
            close(pipe[1])
            Diagnostics.say("The notify-command \(program) could not be started (\(String(cString: strerror(spawned)))); the reminder is still in the workspace.")
            return
        }
        var text = Array((reminder.sentence + "\n").utf8)
        _ = write(pipe[1], &text, text.count)
        close(pipe[1])
        // A notifier that hangs must not stall the tick: thirty seconds, then it is stopped.
        var status: Int32 = 0
        var waited = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid || (done == -1 && errno != EINTR) { break }
            if waited >= 3000 {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                Diagnostics.say("The notify-command \(program) took over 30 seconds for \(reminder.reference) and was stopped; the reminder is still in the workspace.")
                return
            }
            usleep(10_000)
            waited += 1
        }
        if status != 0 {
            Diagnostics.say("The notify-command \(program) failed for \(reminder.reference) (status \(status >> 8)); the reminder is still in the workspace.")
        }
    }
}
