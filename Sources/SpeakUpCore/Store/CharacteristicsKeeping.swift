/// How reporters described themselves, for counting only (`ReporterCharacteristics`).
///
/// A submit writes a report's `characteristics`, when the reporter gave any and kept their
/// identity, in the report's own transaction, as a row of its own with only the month: no
/// reference, reporter or day, and in an order that does not follow the reports'. Nothing
/// reads it back beside a case; this is the only way out, and it gives answers only.
public protocol CharacteristicsKeeping: StoreLocated {
    /// Every description given in the months from `first` to `last` (whole months, whichever
    /// day of them is named), in no particular order.
    func characteristics(from first: CalendarDay, through last: CalendarDay) throws(StoreError) -> [ReporterCharacteristics]
}
