/// An amount of money in whole US cents, never a floating-point number.
public struct MoneyCents: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The largest magnitude accepted: one trillion dollars, far above any office amount and far from overflow.
    public static let magnitudeCentsMax: Int64 = 100_000_000_000_000

    /// The rule an amount broke.
    public enum ValidationError: Error, Equatable, Sendable {
        /// The magnitude is above `magnitudeCentsMax`.
        case magnitudeAboveLimit
        /// A sum or difference left the accepted range.
        case arithmeticOutOfRange
    }

    /// The amount in cents; negative for credits and refunds.
    public let cents: Int64

    /// Creates an amount, refusing a magnitude above `magnitudeCentsMax`.
    public init(cents: Int64) throws(ValidationError) {
        guard cents >= -Self.magnitudeCentsMax, cents <= Self.magnitudeCentsMax else {
            throw .magnitudeAboveLimit
        }
        self.cents = cents
    }

    /// Zero cents.
    public static var zero: MoneyCents { MoneyCents(uncheckedCents: 0) }

    private init(uncheckedCents: Int64) {
        cents = uncheckedCents
    }

    /// The sum of two amounts, refused when it leaves the accepted range.
    public func adding(_ other: MoneyCents) throws(ValidationError) -> MoneyCents {
        do { return try MoneyCents(cents: cents + other.cents) } catch { throw .arithmeticOutOfRange }
    }

    /// The difference of two amounts, refused when it leaves the accepted range.
    public func subtracting(_ other: MoneyCents) throws(ValidationError) -> MoneyCents {
        do { return try MoneyCents(cents: cents - other.cents) } catch { throw .arithmeticOutOfRange }
    }

    /// The amount as dollars and cents, e.g. `-12.05`.
    public var description: String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    /// Orders amounts by their cents.
    public static func < (lhs: MoneyCents, rhs: MoneyCents) -> Bool { lhs.cents < rhs.cents }
}
