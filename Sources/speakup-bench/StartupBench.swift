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
        let session = try FormSession(command: command, scratch: scratch, marker: marker)
        defer { session.stop() }
        return session.drawnAfter
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
