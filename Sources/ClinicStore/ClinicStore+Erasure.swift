import ClinicEvents
import RecordLog

/// Erasure (crypto-shredding) as a write-ahead protocol over the keyring file and the log, crash-safe at every step:
///
/// 1. the patient's live key is marked erasure-pending in the keyring, which is saved (durable) — a crash here leaves
///    a pending mark and no marker: the erasure was not acknowledged, and the next writer open clears the mark;
/// 2. the `PatientErased` marker is appended (durable) — a crash here leaves a pending mark, a marker and a live key:
///    the next writer open destroys the key, and every reader that loads the keyring treats the patient as erased;
/// 3. the key is destroyed and the keyring saved, which drops the pending mark with the key.
///
/// So the key is never gone without a marker in the log: every view that folded the patient's data also folds the
/// marker, which drops it. A retry of the command (same id) answers the stored marker and leaves the key destroyed.
extension ClinicStore {
    /// The patients whose `PatientErased` marker is among `events`.
    static func erasedPatients(in events: [ClinicEvent]) -> [EventID] {
        events.compactMap { if case .patientErased(let erased) = $0 { erased.patientID } else { nil } }
    }

    /// Step 1: marks each patient's live key erasure-pending and saves the keyring, before their marker is appended.
    /// A patient with no live key (already shredded) needs no mark.
    func markErasuresPending(_ patientIDs: [EventID]) throws(StoreError) {
        var marked = false
        for patientID in patientIDs where keyring.markErasurePending(for: patientID) { marked = true }
        if marked { try saveKeyring() }
    }

    /// Step 3: destroys each patient's key and saves the keyring, once their marker is durable.
    ///
    /// When the keyring cannot be written the erasure stands (the marker is in the log and the file's pending mark
    /// makes readers treat the patient as erased), and the error says to retry: a retry, or the next writer open,
    /// writes the keyring again.
    func destroyKeys(ofErased patientIDs: [EventID], state: inout CommandState) throws(StoreError) {
        guard !patientIDs.isEmpty else { return }
        for patientID in patientIDs { keyring.destroyKey(for: patientID) }
        do {
            try saveKeyring()
        } catch {
            state.keyringUnsaved = true
            throw StoreError(
                .storage, code: "erasureUnfinished",
                message: "The erasure is recorded, but the keyring could not be rewritten without the patient's key "
                    + "(\(error.message)); run the same command again with the same id to finish it.")
        }
        state.keyringUnsaved = false
    }

    /// Finishes the erasure of a retried command whose stored event is `event`, when its key may still be on disk.
    func finishRetriedErasure(_ event: ClinicEvent, state: inout CommandState) throws(StoreError) {
        guard case .patientErased(let erased) = event,
            keyring.wrappedKey(for: erased.patientID) != nil || state.keyringUnsaved
        else { return }
        try destroyKeys(ofErased: [erased.patientID], state: &state)
    }

    /// Finishes the erasures a crash interrupted, on a writer open: a key marked erasure-pending is destroyed when its
    /// patient's `PatientErased` marker is in the log, and otherwise keeps its key and loses the mark (that erasure
    /// was never recorded). Costs one patient-stream read per pending mark, and nothing when there is none.
    func finishInterruptedErasures() throws(StoreError) {
        let pending = keyring.erasurePendingPatientIDs
        guard !pending.isEmpty else { return }
        let reader = reader()
        var finished = 0
        for patientID in pending {
            if try reader.holdsErasureMarker(of: patientID) {
                keyring.destroyKey(for: patientID)
                finished += 1
            } else {
                keyring.clearErasurePending(for: patientID)
            }
        }
        try saveKeyring()
        environment.logger.info(
            "interrupted erasures settled",
            metadata: ["finished": "\(finished)", "dropped": "\(pending.count - finished)"])
    }
}
