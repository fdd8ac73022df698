#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few C math functions the models need, in one place so that no other file imports the C library.
enum Math {
    static let pi = Double.pi

    static func sin(_ x: Double) -> Double { cSin(x) }
    static func cos(_ x: Double) -> Double { cCos(x) }
    static func tan(_ x: Double) -> Double { cTan(x) }
    static func acos(_ x: Double) -> Double { cAcos(x) }
    static func exp(_ x: Double) -> Double { cExp(x) }
    static func log(_ x: Double) -> Double { cLog(x) }

    static func radians(_ degrees: Double) -> Double { degrees * pi / 180 }
    static func degrees(_ radians: Double) -> Double { radians * 180 / pi }

    static func clamp(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(value, range.lowerBound), range.upperBound)
    }

    /// A bump of height 1 centred at `center` o'clock with width `sigma` hours, on the 24-hour circle
    /// (so a peak at 23:00 also lifts 01:00).
    static func dailyBump(_ hour: Double, center: Double, sigma: Double) -> Double {
        var distance = Swift.abs(hour - center).truncatingRemainder(dividingBy: 24)
        distance = Swift.min(distance, 24 - distance)
        return exp(-distance * distance / (2 * sigma * sigma))
    }

    /// A yearly cosine that is 1 on `peakDay` (day of year) and -1 half a year later.
    static func yearly(_ dayOfYear: Int, peakDay: Int) -> Double {
        cos(2 * pi * Double(dayOfYear - peakDay) / 365.25)
    }
}

private func cSin(_ x: Double) -> Double { sin(x) }
private func cCos(_ x: Double) -> Double { cos(x) }
private func cTan(_ x: Double) -> Double { tan(x) }
private func cAcos(_ x: Double) -> Double { acos(x) }
private func cExp(_ x: Double) -> Double { exp(x) }
private func cLog(_ x: Double) -> Double { log(x) }
