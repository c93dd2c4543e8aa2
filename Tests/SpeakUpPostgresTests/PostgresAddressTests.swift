import SpeakUpCore
import Testing

@testable import SpeakUpPostgres

@Suite struct PostgresAddressTests {
    @Test func oneHostWithEverythingDefaulted() throws {
        let address = try PostgresAddress("postgresql://db.trust.nhs.uk/speakup")
        #expect(address.user == "speakup_app")
        #expect(address.endpoints == [.tcp(host: "db.trust.nhs.uk", port: 5432)])
        #expect(address.database == "speakup")
        #expect(address.tls == .verifyFull)
        #expect(address.connectTimeout == 5)
        #expect(address.sessionAttributes == .readWrite)
        #expect(address.passfile == nil && address.rootCertificate == nil && address.clientCertificate == nil)
    }

    @Test func severalHostsAndEveryParameter() throws {
        let address = try PostgresAddress(
            "postgres://ward%2Dapp@db1:5433,[2001:db8::1]:6000,db3/speak%20up?sslmode=require&sslrootcert=/etc/speakup/ca.pem"
                + "&sslcert=/etc/speakup/client.pem&sslkey=/etc/speakup/client.key&passfile=/etc/speakup/db-secret"
                + "&connect_timeout=2.5&target_session_attrs=any")
        #expect(address.user == "ward-app")
        #expect(address.endpoints == [.tcp(host: "db1", port: 5433), .tcp(host: "2001:db8::1", port: 6000), .tcp(host: "db3", port: 5432)])
        #expect(address.database == "speak up")
        #expect(address.tls == .require)
        #expect(address.rootCertificate == "/etc/speakup/ca.pem")
        #expect(address.clientCertificate == "/etc/speakup/client.pem" && address.clientKey == "/etc/speakup/client.key")
        #expect(address.passfile == "/etc/speakup/db-secret")
        #expect(address.connectTimeout == 2.5)
        #expect(address.sessionAttributes == .any)
        #expect(address.description == "speak up on db1:5433, [2001:db8::1]:6000, db3:5432")
    }

    @Test func aUnixSocketFolder() throws {
        let address = try PostgresAddress("postgresql:///speakup?host=/var/run/postgresql")
        #expect(address.endpoints == [.socket(folder: "/var/run/postgresql", port: 5432)])
        #expect(address.endpoints[0].socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        #expect(address.tls == nil)
        let other = try PostgresAddress("postgresql://speakup_owner@:5433/speakup?host=/tmp/pg/&sslmode=disable")
        #expect(other.endpoints[0].socketPath == "/tmp/pg/.s.PGSQL.5433")
        #expect(other.user == "speakup_owner")
    }

    @Test func plainTCPOnlyToThisMachine() throws {
        for host in ["127.0.0.1", "[::1]", "localhost", "LOCALHOST"] {
            #expect(try PostgresAddress("postgresql://\(host):5432/speakup?sslmode=disable").tls == .disable)
        }
        #expect(sentence("postgresql://127.0.0.1,db2.trust.nhs.uk/speakup?sslmode=disable")
            == "SpeakUp cannot use the store address postgresql://127.0.0.1,db2.trust.nhs.uk/speakup: sslmode=disable would send reports unprotected across the network to db2.trust.nhs.uk. It is allowed only to this machine (127.0.0.1, ::1, localhost); use verify-full for another host.")
    }

    @Test func looksLikeURL() {
        #expect(PostgresAddress.looksLikeURL("postgresql://db/speakup"))
        #expect(PostgresAddress.looksLikeURL("postgres://db/speakup"))
        #expect(PostgresAddress.looksLikeURL("PostgreSQL://db/speakup"))
        #expect(!PostgresAddress.looksLikeURL("/var/lib/speakup/speakup.sqlite"))
        #expect(!PostgresAddress.looksLikeURL("postgresql.sqlite"))
        #expect(!PostgresAddress.looksLikeURL("postgresql:/db"))
    }

    @Test func aPasswordIsRefusedWherever() {
        let expected = "Passwords never go in the store's address, where anyone who can read the settings or see the command would read it. Remove it, put it in a secret file readable only by the speakup group and name it with passfile=… (docs/store.md)."
        #expect(sentence("postgresql://speakup_app:hunter2@db/speakup") == expected)
        #expect(sentence("postgresql://speakup_app:@db/speakup") == expected)
        #expect(sentence("postgresql://db/speakup?password=hunter2") == expected)
        // Not even a fragment of it is repeated back.
        #expect(sentence("postgresql://speakup_app:hunter2@db/speakup")?.contains("hunter2") == false)
    }

    @Test(arguments: [
        ("/var/lib/speakup.sqlite",
         "SpeakUp cannot use the store address /var/lib/speakup.sqlite: it does not start with postgresql://. A PostgreSQL store's address looks like postgresql://speakup_app@db.example.nhs.uk/speakup?passfile=/etc/speakup/db-secret."),
        ("postgresql://db",
         "SpeakUp cannot use the store address postgresql://db: it names no database. Put the database's name after the host, as in postgresql://db.example.nhs.uk/speakup."),
        ("postgresql://db/",
         "SpeakUp cannot use the store address postgresql://db/: it names no database. Put the database's name after the host, as in postgresql://db.example.nhs.uk/speakup."),
        ("postgresql://db/speak/up",
         "SpeakUp cannot use the store address postgresql://db/speak/up: the database's name (speak/up) holds a /. A database is named by one word after the host, as in postgresql://db.example.nhs.uk/speakup."),
        ("postgresql:///speakup",
         "SpeakUp cannot use the store address postgresql:///speakup: it names no host. Put the server's name after postgresql://, or the folder of its Unix socket in host=/path/to/folder."),
        ("postgresql://db1,,db3/speakup",
         "SpeakUp cannot use the store address postgresql://db1,,db3/speakup: one of its hosts is empty. Hosts are separated by single commas, as in postgresql://db1:5432,db2:5432/speakup."),
        ("postgresql://@db/speakup",
         "SpeakUp cannot use the store address postgresql://@db/speakup: the login before @ is empty or badly written. Write it as postgresql://speakup_app@host/database, or leave out the @ for speakup_app."),
        ("postgresql://db:0/speakup",
         "SpeakUp cannot use the store address postgresql://db:0/speakup: the port 0 after db is not a number from 1 to 65535. PostgreSQL usually listens on 5432."),
        ("postgresql://db:65536/speakup",
         "SpeakUp cannot use the store address postgresql://db:65536/speakup: the port 65536 after db is not a number from 1 to 65535. PostgreSQL usually listens on 5432."),
        ("postgresql://db:54x/speakup",
         "SpeakUp cannot use the store address postgresql://db:54x/speakup: the port 54x after db is not a number from 1 to 65535. PostgreSQL usually listens on 5432."),
        ("postgresql://db:/speakup",
         "SpeakUp cannot use the store address postgresql://db:/speakup: the port (empty) after db is not a number from 1 to 65535. PostgreSQL usually listens on 5432."),
        ("postgresql://[2001:db8::1/speakup",
         "SpeakUp cannot use the store address postgresql://[2001:db8::1/speakup: the IPv6 address [2001:db8::1 has no closing ]. Write it as [2001:db8::1]:5432."),
        ("postgresql://[::1]x/speakup",
         "SpeakUp cannot use the store address postgresql://[::1]x/speakup: [::1]x has something after its IPv6 address other than :port. Write it as [2001:db8::1]:5432."),
        ("postgresql://db/speakup?sslmode=prefer",
         "SpeakUp cannot use the store address postgresql://db/speakup: sslmode=prefer is not one SpeakUp knows. Use verify-full (the default), require, or disable (only to this machine)."),
        ("postgresql://db/speakup?application_name=x",
         "SpeakUp cannot use the store address postgresql://db/speakup: SpeakUp does not know the parameter application_name. It knows host, sslmode, sslrootcert, sslcert, sslkey, passfile, connect_timeout, target_session_attrs."),
        ("postgresql://db/speakup?sslmode",
         "SpeakUp cannot use the store address postgresql://db/speakup: the parameter sslmode has no value. Parameters are written name=value, joined by &."),
        ("postgresql://db/speakup?passfile=",
         "SpeakUp cannot use the store address postgresql://db/speakup: the parameter passfile is empty or badly written. Please give it a value, or leave it out."),
        ("postgresql://db/speakup?sslmode=require&sslmode=disable",
         "SpeakUp cannot use the store address postgresql://db/speakup: the parameter sslmode is given twice. Please give it once."),
        ("postgresql://db/speakup#top",
         "SpeakUp cannot use the store address postgresql://db/speakup#top: it holds a #, which has no meaning in a store's address. Please remove it and what follows it."),
        ("postgresql:///speakup?host=var/run",
         "SpeakUp cannot use the store address postgresql:///speakup: host=var/run is not a full path. host= names the folder holding the server's Unix socket, such as host=/var/run/postgresql."),
        ("postgresql://db/speakup?host=/var/run/postgresql",
         "SpeakUp cannot use the store address postgresql://db/speakup: it names both a host (db) and a socket folder (host=/var/run/postgresql). Use one: the host after postgresql://, or the socket's folder in host=."),
        ("postgresql://db1,db2/speakup?host=/var/run/postgresql",
         "SpeakUp cannot use the store address postgresql://db1,db2/speakup: it names both hosts and a socket folder (host=/var/run/postgresql). Use one: hosts after postgresql://, or the socket's folder in host=."),
        ("postgresql:///speakup?host=/run/pg&sslmode=require",
         "SpeakUp cannot use the store address postgresql:///speakup: sslmode=require was given for a Unix socket, which never uses TLS. Leave sslmode out when host= names a socket folder."),
        ("postgresql:///speakup?host=/run/pg&sslrootcert=/etc/ca.pem",
         "SpeakUp cannot use the store address postgresql:///speakup: sslrootcert was given for a Unix socket, which never uses TLS. Leave it out when host= names a socket folder."),
        ("postgresql://db/speakup?sslcert=/etc/c.pem",
         "SpeakUp cannot use the store address postgresql://db/speakup: it gives sslcert without sslkey. A client certificate needs both: sslcert=the certificate file and sslkey=its key file."),
        ("postgresql://db/speakup?sslkey=/etc/c.key",
         "SpeakUp cannot use the store address postgresql://db/speakup: it gives sslkey without sslcert. A client certificate needs both: sslcert=the certificate file and sslkey=its key file."),
        ("postgresql://db/speakup?passfile=db-secret",
         "SpeakUp cannot use the store address postgresql://db/speakup: passfile=db-secret is not a full path. Please give the file's full path, starting with /."),
        ("postgresql://db/speakup?connect_timeout=0",
         "SpeakUp cannot use the store address postgresql://db/speakup: connect_timeout=0 is not a number of seconds from 1 to 600. It is how long each host is given to answer (5 unless given)."),
        ("postgresql://db/speakup?connect_timeout=soon",
         "SpeakUp cannot use the store address postgresql://db/speakup: connect_timeout=soon is not a number of seconds from 1 to 600. It is how long each host is given to answer (5 unless given)."),
        ("postgresql://db/speakup?target_session_attrs=primary",
         "SpeakUp cannot use the store address postgresql://db/speakup: target_session_attrs=primary is not one SpeakUp knows. Use read-write (the default: the server that accepts writes) or any."),
    ])
    func everyMistakeHasItsSentence(address: String, expected: String) {
        #expect(sentence(address) == expected)
    }

    @Test func refusalsAreCannotOpen() {
        #expect(kind("postgresql://db:99999/speakup") == .cannotOpen)
        #expect(kind("postgresql://u:p@db/speakup") == .cannotOpen)
    }

    private func sentence(_ text: String) -> String? {
        do { _ = try PostgresAddress(text) } catch { return error.sentence }
        return nil
    }

    private func kind(_ text: String) -> StoreError.Kind? {
        do { _ = try PostgresAddress(text) } catch { return error.kind }
        return nil
    }
}
