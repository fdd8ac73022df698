import Foundation
import TestSupport

/// The package's root folder, found from this file's place in it.
let packageRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // SystemdIntegrationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()
    .path
