import Foundation
import Testing

@testable import GatewayCore

/// Every TOML file the repository ships or tests with still parses: the example configuration,
/// the benchmarks' rules, the fuzzing seeds.
@Suite("TOML files in the repository")
struct TOMLRepositoryFilesTests {
    /// The repository, found from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TOML
        .deletingLastPathComponent()  // GatewayCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `conf/streetgate.toml`, then every `*.toml` under `tools/` and `Tests/`, relative to the root.
    static func files() -> [String] {
        var paths = ["conf/streetgate.toml"]
        for folder in ["tools", "Tests"] {
            let enumerator = FileManager.default.enumerator(
                atPath: root.appendingPathComponent(folder).resolvingSymlinksInPath().path)
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".toml") { paths.append("\(folder)/\(path)") }
            }
        }
        return paths.sorted()
    }

    /// The seed that is a syntax error on purpose.
    static let deliberatelyInvalid = "tools/fuzz/corpus/config/syntax-error.toml"

    @Test("every TOML file parses, and the deliberate syntax error fails where it should")
    func repositoryFiles() throws {
        let files = Self.files()
        #expect(files.contains("tools/bench/city-rules.toml"))
        for path in files {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            let error = TOMLTesting.error(text)
            if path == Self.deliberatelyInvalid {
                #expect(error?.line == 3 && error?.column == 1, "\(path)")
            } else {
                #expect(error == nil, "\(path):\(error?.line ?? 0):\(error?.column ?? 0): \(error?.message ?? "")")
            }
        }
    }

    @Test("the shipped configuration parses to its sections")
    func shippedFile() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("conf/streetgate.toml"), encoding: .utf8)
        let document = try TOMLTesting.parse(text)
        #expect(Set(document.keys).isSuperset(of: ["gateway", "buffer", "source", "aggregate"]))
        guard case .table(let gateway)? = document["gateway"], case .array(let sources)? = document["source"] else {
            Issue.record("no [gateway] table or [[source]] array")
            return
        }
        #expect(gateway["id"] == .string("fes-medina-01"))
        #expect(sources.count == 1)
    }
}
