/// Text helpers the CLI needs without Foundation (see `StandardStream`): trimming and fixed-point numbers.
extension StringProtocol {
    /// The text without the spaces and tabs (Unicode white space other than line breaks) at its ends.
    func trimmingSpaces() -> String {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// The text without the white space and line breaks at its ends.
    func trimmingWhitespaceAndNewlines() -> String {
        trimming(\.isWhitespace)
    }

    private func trimming(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = lastIndex(where: { !isTrimmed($0) }) ?? first
        return String(self[first...last])
    }
}

/// Numbers as the CLI prints them.
enum NumberText {
    /// `value` with exactly `fractionDigits` digits after the point, rounded half to even (`"%.2f"`).
    static func fixed(_ value: Double, fractionDigits: Int) -> String {
        precondition((0...6).contains(fractionDigits), "fixed-point output takes 0 to 6 fraction digits")
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrEven)
        guard value.isFinite, scaled < 9.0e18 else { return "\(value)" }
        let units = Int64(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        let whole = "\(units / scale)"
        guard fractionDigits > 0 else { return sign + whole }
        let fraction = String(units % scale)
        return sign + whole + "." + String(repeating: "0", count: fractionDigits - fraction.count) + fraction
    }

    /// The bytes as lowercase hexadecimal, two digits each.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
