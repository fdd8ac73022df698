// Contract checked here: the page budget follows a filesystem that cannot hold max_size, keeping
// room for the WAL, and is max_size's own when the filesystem can.
@testable import GatewayStore
import Testing

@Suite("The page budget on a small filesystem")
struct FilesystemRoomTests {
    let page: Int64 = 4_096
    let mib: Int64 = 1 << 20

    @Test("a filesystem with room for max_size leaves the configured budget")
    func roomyFilesystem() {
        let budget = BufferWriter.budgetPages(configured: 1_000, filesystemRoom: 32_000 * mib, journalSizeLimit: 4 * mib, pageSize: page)
        #expect(budget == 1_000)
    }

    @Test("an unreadable filesystem leaves the configured budget")
    func unknownFilesystem() {
        #expect(BufferWriter.budgetPages(configured: 1_000, filesystemRoom: nil, journalSizeLimit: 4 * mib, pageSize: page) == 1_000)
    }

    @Test("a filesystem smaller than max_size bounds the budget, less twice the WAL's truncated size")
    func smallFilesystem() {
        let budget = BufferWriter.budgetPages(configured: 130_000, filesystemRoom: 100 * mib, journalSizeLimit: 4 * mib, pageSize: page)
        #expect(budget == (100 - 8) * mib / page)
    }

    @Test("on a tiny filesystem the WAL keeps 60 % of the room, and the budget never falls below 64 pages")
    func tinyFilesystem() {
        let budget = BufferWriter.budgetPages(configured: 130_000, filesystemRoom: 8 * mib, journalSizeLimit: 4 * mib, pageSize: page)
        #expect(budget == (8 * mib - 8 * mib * 6 / 10) / page)
        #expect(BufferWriter.budgetPages(configured: 130_000, filesystemRoom: 64 * 1024, journalSizeLimit: 4 * mib, pageSize: page) == 64)
    }

    @Test("the room is the buffer's files plus the free space of their filesystem")
    func measuresRoom() throws {
        let room = try #require(BufferWriter.filesystemRoom(of: "/tmp/streetgate-no-such-file.db"))
        #expect(room > 0)
        #expect(BufferWriter.filesystemRoom(of: "/no/such/directory/streetgate.db") == nil)
    }
}
