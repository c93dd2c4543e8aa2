import ArgumentParser
import SpeakUpRules

/// The command words on a command line, looked at before the parser sees them.
///
/// `report` is the default command, so without this a mistyped command (`speakup case`) reached the
/// reporter form's parser and came back as "Unexpected argument" with the form's usage. And a store
/// or rules option given before the command (`speakup --db x.sqlite whoami`) belongs to that command.
enum CommandWords {
    /// Options of the default command that take a value, so their values are not taken for words.
    static let valueOptions: Set<String> = ["--db", "--wait", "--rules"]

    /// The arguments to parse, or the sentence for a word that is not a command.
    static func arranged(_ arguments: [String], root: any ParsableCommand.Type) -> Result<[String], Failure> {
        var leading: [String] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "--" {
            let word = arguments[index]
            guard valueOptions.contains(word) || valueOptions.contains(String(word.prefix { $0 != "=" })) else {
                return .success(arguments)  // --help, --version, or an unknown option: the parser answers those
            }
            let takesNext = valueOptions.contains(word) && index + 1 < arguments.count
            leading += arguments[index..<(index + (takesNext ? 2 : 1))]
            index += takesNext ? 2 : 1
        }
        guard index < arguments.count, arguments[index] != "--" else { return .success(arguments) }
        if let failure = unknownWord(Array(arguments[index...]), in: root, path: []) { return .failure(failure) }
        guard !leading.isEmpty else { return .success(arguments) }
        // The options go after the command's own words, before any `--`.
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return .success(rest)
    }

    /// The sentence for the first word that is not a command where one is expected, if any.
    private static func unknownWord(_ words: [String], in command: any ParsableCommand.Type, path: [String]) -> Failure? {
        let subcommands = command.configuration.subcommands
        guard let word = words.first, !subcommands.isEmpty, !word.hasPrefix("-") else { return nil }
        let names = subcommands.map { $0._commandName }
        if let index = names.firstIndex(of: word) {
            return unknownWord(Array(words.dropFirst()), in: subcommands[index], path: path + [word])
        }
        if path.isEmpty && word == "help" { return nil }
        let place = (["speakup"] + path).joined(separator: " ")
        let what = path.isEmpty ? "a SpeakUp command" : "a command of `\(place)`"
        let guess = nearest(word, in: names).map { " Did you mean \"\($0)\"?" } ?? ""
        return Failure(
            "\"\(word)\" is not \(what).\(guess)\nThe commands are: \(names.joined(separator: ", ")). `\(place) --help` says what each does.",
            code: 64)
    }
}
