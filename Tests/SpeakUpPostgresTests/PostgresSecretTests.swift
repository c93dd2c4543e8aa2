import Foundation
import SpeakUpCore
import Testing

@testable import SpeakUpPostgres

@Suite struct PostgresSecretTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "speakup-secret-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    }

    @Test func theFirstLineWithoutItsNewline() throws {
        let path = try write("s3cret pass\nsecond line\n", mode: 0o640)
        #expect(try PostgresSecret.password(from: path) == "s3cret pass")
        let windows = try write("s3cret\r\n", mode: 0o600, name: "crlf")
        #expect(try PostgresSecret.password(from: windows) == "s3cret")
        let bare = try write("no newline", mode: 0o400, name: "bare")
        #expect(try PostgresSecret.password(from: bare) == "no newline")
    }

    @Test func aMissingFile() {
        let path = folder + "/nothing"
        #expect(refusal(path) == "The database password file \(path) (passfile= in the store's address) does not exist. Please create it, readable only by the speakup group, holding the password on its first line.")
    }

    @Test func aFileOthersCanReadOrWrite() throws {
        for mode: mode_t in [0o644, 0o642, 0o641, 0o666] {
            let path = try write("s3cret\n", mode: mode, name: "open-\(mode)")
            #expect(refusal(path) == "The database password file \(path) can be read or written by everyone on this host (mode \(String(mode, radix: 8))), so SpeakUp will not use it. Please make it readable only by its owner and the speakup group (chmod 640 \(path)), and change the password, which others may have read.")
        }
    }

    @Test func aSymbolicLink() throws {
        let target = try write("s3cret\n", mode: 0o640)
        let link = folder + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(refusal(link) == "The database password file \(link) is a symbolic link, which SpeakUp does not follow (it could be pointed at another file). Please name the file itself in passfile=.")
    }

    @Test func notAnOrdinaryFile() throws {
        let pipe = folder + "/pipe"
        #expect(mkfifo(pipe, 0o640) == 0)
        for path in [folder, pipe] {
            #expect(refusal(path) == "The database password file \(path) is not an ordinary file (it is a folder, a device or a pipe). Please name the file holding the password in passfile=.")
        }
    }

    @Test func anEmptyFile() throws {
        let path = try write("\nlater\n", mode: 0o640)
        #expect(refusal(path) == "The database password file \(path) is empty: its first line should hold the password of the store's database login.")
    }

    @Test func anUnreadableFile() throws {
        let path = try write("s3cret\n", mode: 0o000)
        if getuid() == 0 {
            // Root reads it anyway; the test of the sentence is for everyone else, run as another user.
            #expect(try PostgresSecret.password(from: path) == "s3cret")
        } else {
            #expect(refusal(path) == "SpeakUp cannot read the database password file \(path): this login is not allowed to read it. It should belong to the speakup group (mode 0640), which the installed program runs with.")
        }
    }

    private func write(_ text: String, mode: mode_t, name: String = "secret") throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    private func refusal(_ path: String) -> String? {
        do { _ = try PostgresSecret.password(from: path) } catch {
            #expect(error.kind == .cannotOpen)
            return error.sentence
        }
        return nil
    }
}
