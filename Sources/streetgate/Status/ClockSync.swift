import Glibc

/// Whether the kernel thinks the system clock is synchronised (NTP, chrony, systemd-timesyncd),
/// read with `adjtimex(2)` in read-only mode (`modes` 0): no privilege needed, nothing changed.
///
/// The kernel answers `TIME_ERROR` and sets `STA_UNSYNC` until a time daemon has disciplined the
/// clock. A board without a battery-backed clock starts in 1970 or at its last shutdown, and
/// readings stamped with the time received are wrong until then.
struct ClockSync: Equatable {
    /// nil when the kernel could not be asked.
    var synchronised: Bool?
    /// The kernel's estimate of the maximum error, in microseconds.
    var maxErrorMicroseconds: Int?

    static let unknown = ClockSync(synchronised: nil, maxErrorMicroseconds: nil)

    // From <sys/timex.h>, which Glibc's module map leaves out.
    private static let timeError: Int32 = 5
    private static let unsynchronised: Int32 = 0x0040

    private typealias AdjustTime = @convention(c) (UnsafeMutableRawPointer) -> Int32

    static func current() -> ClockSync {
        // glibc's `adjtimex`, looked up among the loaded libraries (RTLD_DEFAULT) since its header
        // is not importable.
        guard let symbol = dlsym(nil, "adjtimex") else { return .unknown }
        let adjtimex = unsafeBitCast(symbol, to: AdjustTime.self)
        // struct timex: `unsigned modes`, then `long offset, freq, maxerror, esterror`, then
        // `int status`, … (208 bytes on 64-bit Linux). Zeroed, so `modes` is 0: read only.
        let long = MemoryLayout<CLong>.size
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        let state = adjtimex(buffer)
        guard state >= 0 else { return .unknown }
        let first = max(MemoryLayout<UInt32>.size, MemoryLayout<CLong>.alignment)
        let maxError = buffer.load(fromByteOffset: first + 2 * long, as: CLong.self)
        let status = buffer.load(fromByteOffset: first + 4 * long, as: Int32.self)
        return ClockSync(
            synchronised: state != timeError && status & unsynchronised == 0,
            maxErrorMicroseconds: Int(maxError)
        )
    }
}
