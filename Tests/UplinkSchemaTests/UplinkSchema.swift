import Foundation
import GatewayCore
import Testing
import TestSupport

/// The schema files in `schemas/` at the repository root.
enum UplinkSchema: String, CaseIterable, Sendable {
    case aggregates = "aggregates-1"
    case alert = "alert-1"
    case status = "status-1"
    case health = "health-1"

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // UplinkSchemaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("schemas")

    var url: URL {
        Self.directory.appendingPathComponent("\(rawValue).schema.json")
    }

    /// The `schema` field the payloads carry.
    var schemaID: String {
        switch self {
        case .aggregates: UplinkPayloads.aggregatesSchema
        case .alert: UplinkPayloads.alertSchema
        case .status: UplinkPayloads.statusSchema
        case .health: UplinkPayloads.healthSchema
        }
    }

    func document() throws -> JSONInstance {
        try JSONInstance(parsing: Data(contentsOf: url))
    }

    func validator() throws -> JSONSchemaValidator {
        try JSONSchemaValidator(contentsOf: url)
    }

    func violations(_ payload: String) throws -> [JSONSchemaViolation] {
        try validator().violations(of: JSONInstance(parsing: payload))
    }

    func expectValid(_ payload: String, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        let violations = try violations(payload)
        #expect(
            violations.isEmpty, "\(what)\n\(payload)\n\(violations.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }
}

/// A time for a test, from RFC 3339 text.
func time(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Timestamp {
    try #require(Timestamp(rfc3339: text), sourceLocation: sourceLocation)
}
