import Foundation
import TestSupport
import Testing

/// The contract: tools/package/build-deb.sh turns a built binary into a .deb that installs the
/// binary, the unit, the configuration as a conffile and the documentation, depends on the C
/// libraries the binary needs, and has maintainer scripts that parse and never start the service.
@Suite("The Debian package")
struct DebianPackageTests {
    private let script = "\(packageRoot)/tools/package/build-deb.sh"
    // Speed over size: the test packages a debug binary and throws the package away.
    private let fastCompression = ["DPKG_DEB_COMPRESSOR_TYPE": "gzip", "DPKG_DEB_COMPRESSOR_LEVEL": "1"]

    @Test("a package built from the debug binary has the fields, files and scripts it should")
    func package() async throws {
        let directory = try TemporaryDirectory("streetgate-deb")
        let binary = BuiltProducts.path("streetgate")
        let build = try await runCommand("bash", [script, "--binary", binary, "--out", directory.path], environment: fastCompression)
        try #require(build.status == 0, "\(build.all)")

        let architecture = try await runCommand("dpkg", ["--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try await runCommand(binary, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let deb = directory.file("streetgate_\(version)_\(architecture).deb")
        #expect(FileManager.default.fileExists(atPath: deb), "\(build.all)")

        let fields = try await controlFields(deb)
        #expect(fields["Package"] == "streetgate")
        #expect(fields["Version"] == version)
        #expect(fields["Architecture"] == architecture)
        #expect(fields["Maintainer"]?.isEmpty == false)
        #expect(fields["Description"]?.isEmpty == false)
        let depends = Set((fields["Depends"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(depends.isSuperset(of: ["libc6", "libmosquitto1", "libsqlite3-0"]), "\(depends)")

        let listing = try await runCommand("dpkg-deb", ["--contents", deb])
        let entries = listing.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let files = Dictionary(entries.map { (String($0.last!), (mode: String($0[0]), owner: String($0[1]))) }) { first, _ in first }
        for path in [
            "./usr/bin/streetgate", "./lib/systemd/system/streetgate.service", "./etc/streetgate/streetgate.toml",
            "./usr/share/doc/streetgate/README.md", "./usr/share/doc/streetgate/copyright",
        ] {
            #expect(files[path]?.owner == "root/root", "\(path) in \(listing.stdout)")
        }
        #expect(files["./usr/bin/streetgate"]?.mode == "-rwxr-xr-x")

        let control = directory.file("control")
        let extracted = try await runCommand("dpkg-deb", ["--control", deb, control])
        try #require(extracted.status == 0, "\(extracted.all)")
        #expect(try String(contentsOfFile: "\(control)/conffiles", encoding: .utf8) == "/etc/streetgate/streetgate.toml\n")
        for name in ["postinst", "prerm", "postrm"] {
            let path = "\(control)/\(name)"
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(name) is not executable")
            let syntax = try await runCommand("sh", ["-n", path])
            #expect(syntax.status == 0, "\(name): \(syntax.all)")
            let commands = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            #expect(!commands.contains { $0.contains("systemctl start") || $0.contains("systemctl enable") }, "\(name) starts the service")
        }

        let root = directory.file("root")
        let unpacked = try await runCommand("dpkg-deb", ["--extract", deb, root])
        try #require(unpacked.status == 0, "\(unpacked.all)")
        for (packaged, source) in [
            ("lib/systemd/system/streetgate.service", "systemd/streetgate.service"),
            ("etc/streetgate/streetgate.toml", "conf/streetgate.toml"),
        ] {
            #expect(FileManager.default.contentsEqual(atPath: "\(root)/\(packaged)", andPath: "\(packageRoot)/\(source)"), "\(packaged)")
        }
    }

    @Test("a binary for another machine is refused")
    func foreignArchitecture() async throws {
        let directory = try TemporaryDirectory("streetgate-deb")
        let native = try await runCommand("dpkg", ["--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let foreign = native == "arm64" ? "amd64" : "arm64"
        let build = try await runCommand(
            "bash", [script, "--binary", BuiltProducts.path("streetgate"), "--arch", foreign, "--out", directory.path]
        )
        #expect(build.status != 0)
        #expect(build.stderr.contains("does not run on \(foreign)"), "\(build.all)")
    }

    @Test("a version Debian cannot order is refused")
    func badVersion() async throws {
        let directory = try TemporaryDirectory("streetgate-deb")
        let build = try await runCommand(
            "bash", [script, "--binary", BuiltProducts.path("streetgate"), "--version", "v1 beta", "--out", directory.path]
        )
        #expect(build.status != 0)
        #expect(build.stderr.contains("not a Debian version"), "\(build.all)")
    }

    /// The control fields of `deb`, continuation lines joined.
    private func controlFields(_ deb: String) async throws -> [String: String] {
        let info = try await runCommand("dpkg-deb", ["--field", deb])
        var fields: [String: String] = [:]
        var current: String?
        for line in info.stdout.split(separator: "\n") {
            if line.hasPrefix(" "), let key = current {
                fields[key, default: ""] += "\n" + line.dropFirst()
            } else if let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon])
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                current = key
            }
        }
        return fields
    }
}
