import Testing

@testable import GatewayCore

@Suite("Sizes in the configuration")
struct ConfigByteSizeTextTests {
    @Test(
        "binary units count in 1024s and decimal units in 1000s",
        arguments: [
            ("512MiB", Int64(512 * 1_048_576)), ("16KiB", 16_384), ("1GiB", 1_073_741_824), ("1TiB", 1 << 40),
            ("100MB", 100_000_000), ("1KB", 1_000), ("2GB", 2_000_000_000), ("1000", 1_000), ("7B", 7),
            ("0", 0),
        ])
    func units(text: String, bytes: Int64) {
        #expect(ByteSizeText.parse(text) == bytes)
    }

    @Test(
        "anything else is not a size",
        arguments: ["", "MiB", "1.5GiB", "512 MiB", "512mib", "512Mb", "-1", "1XB", "9999999999TiB", " 1"])
    func rejects(text: String) {
        #expect(ByteSizeText.parse(text) == nil)
    }

    @Test("a size is shown in the largest unit that divides it, binary first")
    func format() {
        #expect(ByteSizeText.format(512 << 20) == "512MiB")
        #expect(ByteSizeText.format(16 << 10) == "16KiB")
        #expect(ByteSizeText.format(100_000_000) == "100MB")
        #expect(ByteSizeText.format(1_001) == "1001B")
        #expect(ByteSizeText.format(0) == "0B")
    }
}
