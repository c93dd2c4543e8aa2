import CPseudoTerminal
import Foundation
import Glibc

/// Spawn to first screen drawn, on a pseudo-terminal, beside minimal C ncurses.
struct StartupBench {
    let speakup: String
    let scratch: String
    let runs: Int

    /// The floor: the least a C program can do to draw a screen of the same
    /// shape with ncursesw (title bar, a dozen lines, key bar) and wait for a key.
    static let floorSource = #"""
        #define NCURSES_WIDECHAR 1
        #include <locale.h>
        #include <stdio.h>
        #include <ncursesw/curses.h>
        int main(void) {
            setlocale(LC_ALL, "C.UTF-8");
            SCREEN *screen = newterm(NULL, stdout, stdin);
            if (!screen) return 2;
            set_term(screen);
            raw(); noecho(); nonl(); keypad(stdscr, TRUE);
            attron(A_REVERSE);
            mvprintw(0, 0, " SpeakUp - Report a concern%*s", 52, "Question 1 of 6 ");
            attroff(A_REVERSE);
            attron(A_BOLD);
            mvprintw(2, 2, "How would you like to raise this concern?");
            attroff(A_BOLD);
            for (int row = 3; row < 18; row++)
                mvprintw(row, 2, "Thank you for speaking up. Whichever you choose, your report goes to %d", row);
            attron(A_REVERSE);
            mvprintw(23, 0, " Up/Down choose  Enter continue  ? help  Ctrl-C leave%*s", 26, "");
            attroff(A_REVERSE);
            refresh();
            getch();
            endwin();
            return 0;
        }
        """#

    func run() throws -> String {
        let floor = try compileFloor()
        let store = scratch + "/startup.sqlite"
        var speakupTimes = Sample()
        var floorTimes = Sample()
        // One untimed run each: creates the store and warms the page cache.
        _ = try timeToScreen([speakup, "--db", store], marker: "leave")
        _ = try timeToScreen([floor], marker: "leave")
        for _ in 0..<runs {
            speakupTimes.add(try timeToScreen([speakup, "--db", store], marker: "leave"))
            floorTimes.add(try timeToScreen([floor], marker: "leave"))
        }
        let ratio = speakupTimes.median / floorTimes.median
        print("## Spawn to first screen drawn (pseudo-terminal 80x24, TERM=xterm-256color, LANG unset, \(runs) runs each, interleaved)")
        print("| program | median ms | p90 ms | min ms |")
        print("|---|---|---|---|")
        print("| speakup (release, static Swift runtime) | \(format(speakupTimes.median)) | \(format(speakupTimes.percentile(90))) | \(format(speakupTimes.percentile(0))) |")
        print("| minimal C ncurses program (floor) | \(format(floorTimes.median)) | \(format(floorTimes.percentile(90))) | \(format(floorTimes.percentile(0))) |")
        print("ratio of medians: \(format(ratio))x (goal: within 5x)")
        return "spawn to first screen: speakup \(format(speakupTimes.median)) ms, C floor \(format(floorTimes.median)) ms, ratio \(format(ratio))x (goal <= 5x)"
    }

    private func compileFloor() throws -> String {
        let source = scratch + "/floor.c"
        let binary = scratch + "/floor"
        try StartupBench.floorSource.write(toFile: source, atomically: true, encoding: .utf8)
        let status = try spawnAndWait(["/usr/bin/cc", "-O2", "-o", binary, source, "-lncursesw", "-ltinfo"])
        guard status == 0 else { throw BenchError("could not compile the C ncurses floor (is libncurses-dev installed?)") }
        return binary
    }

    /// Seconds from spawn until `marker` (the last word on the screen's bottom row) has been written.
    private func timeToScreen(_ command: [String], marker: String) throws -> Double {
        var name = [CChar](repeating: 0, count: 128)
        let master = speakup_open_pseudo_terminal(&name, name.count, 80, 24)
        guard master >= 0 else { throw BenchError("could not open a pseudo-terminal") }
        let slavePath = String(cString: name)
        defer { close(master) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, slavePath, O_RDWR, 0) }
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let environment = ["TERM=xterm-256color", "PATH=/usr/bin:/bin", "HOME=\(scratch)"]
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var pid: pid_t = 0
        let start = now()
        guard posix_spawn(&pid, command[0], &actions, &attributes, argv, envp) == 0 else {
            throw BenchError("could not start \(command[0])")
        }
        var seen = [UInt8]()
        let needle = Array(marker.utf8)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var elapsed: Double? = nil
        let deadline = start + 10
        while now() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }
            seen += buffer[0..<count]
            if seen.count >= needle.count, seen.suffix(from: max(0, seen.count - count - needle.count)).firstRange(of: needle) != nil {
                elapsed = now() - start
                break
            }
        }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        // Keep reading so the child can finish writing its goodbye and exit.
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if poll(&descriptor, 1, 10) > 0 { _ = read(master, &buffer, buffer.count) }
        }
        guard let elapsed else {
            throw BenchError("\(command[0]) never drew its first screen; it printed: \(String(decoding: seen.prefix(400), as: UTF8.self))")
        }
        return elapsed
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func spawnAndWait(_ command: [String]) throws -> Int32 {
    let argv = command.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, command[0], nil, nil, argv, environ) == 0 else { throw BenchError("could not start \(command[0])") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
}
