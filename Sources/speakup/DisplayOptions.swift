import ArgumentParser

/// How the screen is drawn, for every command that opens one.
struct DisplayOptions: ParsableArguments {
    @Flag(name: .customLong("ascii"), help: ArgumentHelp(
        "Draw with plain ASCII characters and the terminal's own line drawing, for a terminal that is not UTF-8. A locale naming another character set (such as en_GB.ISO-8859-1) does this by itself."))
    var ascii = false
}
