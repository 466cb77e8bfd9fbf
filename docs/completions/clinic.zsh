#compdef clinic

__clinic_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__clinic_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __clinic_complete "${completions[@]:0:-1}"
    fi
}

__clinic_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_clinic() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'init:Create a new store, its master key and its first administrator.'
            'status:Show the store: events, segments, size on disk, checkpoints.'
            'signin:Sign in with your passphrase; the session ends after the store'\''s idle time without a command.'
            'signout:End your session now.'
            'keys:Manage the master key.'
            'demo:Generate a realistic demo office (bookings, visits, charges, payments, insurance, consents, disclosures, day closes) into a new store; deterministic for a seed.'
            'staff:Add staff, grant and revoke roles, list staff.'
            'patient:Register, find, show, correct, merge, record death, erase.'
            'availability:Define a provider'\''s bookable hours.'
            'book:Book an appointment for a patient with a provider.'
            'reschedule:Move an appointment.'
            'visit:Move a visit along: confirm, arrive, checkin, room, checkout, noshow, error.'
            'cancel:Cancel an appointment (flags a cancellation under 24 hours).'
            'schedule:Show a day'\''s appointments per provider, with status and room.'
            'slots:List a provider'\''s free slots on a day.'
            'chart:Show a patient'\''s chart: demographics, coverage, allergies, medications, problems, vitals, visits with notes, amendments, consents.'
            'vitals:Record vital signs taken during a visit.'
            'allergy:Record, resolve or mark in error an allergy.'
            'medication:Start or stop a medication.'
            'problem:Add or resolve a problem (ICD-10-CM).'
            'note:Sign a visit note or an addendum.'
            'amendment:Amendment requests under HIPAA 164.526.'
            'fee:Keep the office'\''s fee schedule: the standard fee of each procedure.'
            'charge:Post a charge for a procedure performed in a visit.'
            'payment:Post money received from the patient or an insurance payer (a copay too).'
            'apply:Apply part of a payment to a charge.'
            'adjust:Reduce what is owed on a charge, with a reason code (CARC, e.g. CO-45).'
            'refund:Give money of a payment back.'
            'transfer:Move part of a charge between patient and insurance responsibility.'
            'void:Void a charge or a payment (it stays in the ledger, marked void).'
            'ledger:A patient'\''s ledger, the day sheet, and accounts receivable aging.'
            'day:Close an office day.'
            'payer:Define insurance payers.'
            'coverage:Add or end a patient'\''s insurance coverage.'
            'eligibility:Record the answer of an eligibility check.'
            'consent:Privacy notice, consents, authorizations and restrictions.'
            'disclose:Record a disclosure of a patient'\''s information (HIPAA 164.528).'
            'retention:Set the retention policy, and erase (crypto-shred) the records whose retention period ended.'
            'rebuild:Rebuild every view from the whole log and write fresh checkpoints.'
            'audit:Verify the log, show a record'\''s history, account for disclosures, and hand out proofs anyone can check. Read-only; never takes the writer lock.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        init|status|signin|signout|keys|demo|staff|patient|availability|book|reschedule|visit|cancel|schedule|slots|chart|vitals|allergy|medication|problem|note|amendment|fee|charge|payment|apply|adjust|refund|transfer|void|ledger|day|payer|coverage|eligibility|consent|disclose|retention|rebuild|audit|help)
            "_clinic_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--admin[The first administrator'\''s staff id (an office manager).]:admin:'
        '--admin-name[The first administrator'\''s display name.]:admin-name:'
        '--time-zone[The office'\''s time zone (IANA name).]:time-zone:'
        '--passphrase-file[A file (mode 0600) whose first line is the administrator'\''s passphrase (default\: $CLINIC_PASSPHRASE_FILE, else typed twice at a prompt).]:passphrase-file:'
        '--session-idle-minutes[Minutes without a command after which a session ends and staff sign in again (1 to 1440).]:session-idle-minutes:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_status() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_signin() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[Your staff id (default\: $CLINIC_STAFF).]:as:'
        '--passphrase-file[A file (mode 0600) whose first line is your passphrase.]:passphrase-file:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_signout() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[Your staff id (default\: $CLINIC_STAFF, else the only one signed in).]:as:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_keys() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'rotate:Replace the master key: every patient key is rewrapped; the log is not rewritten.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        rotate)
            "_clinic_keys_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_keys_rotate() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_demo() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--years[Years of history.]:years:'
        '--days[Days of history instead of years.]:days:'
        '--providers[Providers.]:providers:'
        '--patients[Patients.]:patients:'
        '--per-day[Appointments per provider per office day.]:per-day:'
        '--seed[The seed\: the same seed gives the same office.]:seed:'
        '--time-zone[The office'\''s time zone.]:time-zone:'
        '--replace[Replace the store at --store if it is a demo store made by clinic demo.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_staff() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a staff member with one or more roles.'
            'grant:Grant a role to a staff member.'
            'revoke:Revoke a role from a staff member.'
            'list:List staff members and their roles.'
            'passphrase:Set a staff member'\''s passphrase (your own, or anyone'\''s as an office manager).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|grant|revoke|list|passphrase)
            "_clinic_staff_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_staff_add() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':staff-id:'
        '--name[The display name.]:name:'
        '--roles[Comma-separated roles, e.g. front-desk,biller.]:roles:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_staff_grant() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':staff-id:'
        ':role-name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_staff_revoke() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':staff-id:'
        ':role-name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_staff_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_staff_passphrase() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':staff-id:'
        '--passphrase-file[A file (mode 0600) whose first line is the passphrase.]:passphrase-file:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'register:Register a new patient.'
            'find:Find patients by name fragment, birth date or id.'
            'show:Show a patient'\''s registration and status.'
            'update:Correct a patient'\''s demographics (only the fields given change).'
            'merge:Merge a duplicate patient record into the surviving one.'
            'death:Record a patient'\''s death.'
            'erase:Erase a patient for good: destroy their data key (crypto-shredding).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        register|find|show|update|merge|death|erase)
            "_clinic_patient_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_patient_register() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '--family[Family (last) name.]:family:'
        '--given[Given (first) name.]:given:'
        '--birth[Birth date, YYYY-MM-DD.]:birth:'
        '--language[Preferred language (BCP 47 tag such as en or es-MX).]:language:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_find() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--name[A fragment of the family or given name.]:name:'
        '--birth[Birth date, YYYY-MM-DD.]:birth:'
        '--id[The start of the patient id.]:id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_show() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':patient:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_update() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--family:family:'
        '--given:given:'
        '--birth[Birth date, YYYY-MM-DD.]:birth:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_merge() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':duplicate:'
        '--into[The surviving record.]:into:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_death() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--date[Date of death, YYYY-MM-DD.]:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_patient_erase() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--because[patient-request, retention-ended, legal-order or registered-in-error.]:because:'
        '--confirm[Confirm that the patient'\''s data is to be destroyed forever.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_availability() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'define:Define bookable hours on weekdays (--days mon-fri) or on one date (--date).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        define)
            "_clinic_availability_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_availability_define() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '--provider[The provider'\''s staff id.]:provider:'
        '--days[Weekdays\: mon-fri, or a list such as mon,wed,fri.]:days:'
        '--date[One date instead of weekdays\: YYYY-MM-DD.]:date:'
        '--from[Start, HH\:MM.]:from:'
        '--to[End, HH\:MM.]:to:'
        '--slot[Slot length in minutes.]:slot:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_book() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--provider[The provider'\''s staff id.]:provider:'
        '--start[Start\: YYYY-MM-DD HH\:MM, tomorrow HH\:MM, or HH\:MM today.]:start:'
        '--minutes[Length in minutes.]:minutes:'
        '--visit-reason[Reason for the visit.]:visit-reason:'
        '--overbook[Book over another appointment; you must be a provider or the office manager to approve it.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_reschedule() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '--start[New start.]:start:'
        '--minutes[New length in minutes (default\: unchanged).]:minutes:'
        '--overbook[Move over another appointment (providers and the office manager).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'confirm:The patient confirmed the appointment.'
            'arrive:The patient arrived.'
            'checkin:Check the patient in (opens the visit'\''s encounter).'
            'room:Put the patient in an exam room.'
            'checkout:Check the patient out.'
            'noshow:The patient did not come.'
            'error:Void an appointment that should never have been booked.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        confirm|arrive|checkin|room|checkout|noshow|error)
            "_clinic_visit_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_visit_confirm() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_arrive() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_checkin() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_room() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '--room[The room.]:room:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_checkout() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_noshow() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_visit_error() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_cancel() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':appointment:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_schedule() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--date[today, tomorrow or YYYY-MM-DD.]:date:'
        '--provider[Only this provider.]:provider:'
        '--csv[Print CSV.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_slots() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--provider[The provider'\''s staff id.]:provider:'
        '--date[today, tomorrow or YYYY-MM-DD.]:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_chart() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':patient:'
        '--break-glass[Emergency access\: open the chart although your role may not, stating why (logged and flagged).]:break-glass:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_vitals() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--visit[The visit (appointment id or its first digits).]:visit:'
        '--bp[Blood pressure, systolic/diastolic in mm\[Hg\], e.g. 120/80.]:bp:'
        '--pulse[Heart rate, beats per minute.]:pulse:'
        '--weight[Weight in kg.]:weight:'
        '--height[Height in cm.]:height:'
        '--temperature[Temperature in Cel.]:temperature:'
        '--spo2[Oxygen saturation in %.]:spo2:'
        '--respiration[Respiratory rate per minute.]:respiration:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_allergy() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Record an allergy or intolerance.'
            'resolve:Mark an allergy as no longer applying.'
            'error:Mark an allergy entry as wrong.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|resolve|error)
            "_clinic_allergy_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_allergy_add() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--substance:substance:'
        '--reaction:reaction:'
        '--severity[mild, moderate or severe.]:severity:'
        '--confirmed[Confirmed (default\: unconfirmed).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_allergy_resolve() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':allergy:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_allergy_error() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':allergy:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_medication() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'start:Record a medication the patient starts or takes.'
            'stop:Record that the patient stopped a medication.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        start|stop)
            "_clinic_medication_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_medication_start() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--name:name:'
        '--dose:dose:'
        '--route[oral, topical, inhaled, ...]:route:'
        '--frequency:frequency:'
        '--for[What it is for.]:for:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_medication_stop() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':medication:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_problem() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a diagnosis to the problem list.'
            'resolve:Mark a problem resolved.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|resolve)
            "_clinic_problem_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_problem_add() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--code[ICD-10-CM code, e.g. E11.9.]:code:'
        '--onset[Onset date, YYYY-MM-DD.]:onset:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_problem_resolve() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':problem:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_note() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'sign:Sign a note for a visit.'
            'addendum:Sign an addendum to a signed note.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        sign|addendum)
            "_clinic_note_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_note_sign() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--visit[The visit (appointment id or its first digits).]:visit:'
        '--text:text:'
        '--file:file:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_note_addendum() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':note:'
        '--text:text:'
        '--file:file:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_amendment() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'request:Record a patient'\''s request to amend entries.'
            'accept:Accept an amendment, linking the correcting entries.'
            'deny:Deny an amendment with its basis.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        request|accept|deny)
            "_clinic_amendment_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_amendment_request() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '*--entry[An entry to amend (repeatable).]:entry:'
        '--request[What the patient asks.]:request:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_amendment_accept() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':amendment:'
        '*--correction[A correcting entry (repeatable).]:correction:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_amendment_deny() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':amendment:'
        '--basis[notCreatedByThisOffice, notPartOfDesignatedRecordSet, notAvailableForInspection, accurateAndComplete.]:basis:'
        '--explanation:explanation:'
        '--instructions[How to file a statement of disagreement.]:instructions:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_fee() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'set:Set the fee of a procedure from a day on (the same fee from the same day appends nothing).'
            'withdraw:Withdraw the fee of a procedure with exactly these modifiers from a day on.'
            'list:List the fees in force on a day, by code, or the schedule'\''s whole history.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        set|withdraw|list)
            "_clinic_fee_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_fee_set() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':code:'
        '--amount[The fee for one unit, e.g. 125.00.]:amount:'
        '*--modifier[A two-character modifier (repeatable, up to 4).]:modifier:'
        '--from[The first day of service it applies to (default today).]:from:'
        '--description[The procedure'\''s name in the fee list (no patient data).]:description:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_fee_withdraw() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':code:'
        '*--modifier[A two-character modifier (repeatable, up to 4).]:modifier:'
        '--from[The first day of service it no longer applies to (default today).]:from:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_fee_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--as-of[The day of service (default today).]:as-of:'
        '--history[List every fee set or withdrawn, by code and effective day, instead of the fees of one day.]'
        '--csv[Print CSV.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_charge() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--visit[The visit (appointment id or its first digits); it must be checked in.]:visit:'
        '--cpt[CPT (5 digits) or HCPCS (letter + 4 digits) code.]:cpt:'
        '*--modifier[A two-character modifier (repeatable, up to 4).]:modifier:'
        '--units[Units of service.]:units:'
        '*--dx[An ICD-10-CM diagnosis (repeatable, in order A, B, C...).]:dx:'
        '--pointers[Diagnosis pointers, e.g. 1,2 (default\: 1).]:pointers:'
        '--amount[The amount of the whole line, e.g. 125.00 (default\: the scheduled fee times the units).]:amount:'
        '--date[Posting date (default today).]:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_payment() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--amount:amount:'
        '--method[cash, card, check or eft.]:method:'
        '--payer[The insurance payer (its id or first digits, from clinic payer list; omit for a patient payment).]:payer:'
        '--level[The insurance level paying\: 1 primary, 2 secondary, 3 tertiary.]:level:'
        '--reference[Check number, card slip or remittance reference.]:reference:'
        '--date[Posting date (default today).]:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_apply() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':payment:'
        '--charge:charge:'
        '--amount:amount:'
        '--credit[Allow more than is owed, keeping the excess as a credit.]'
        '--date:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_adjust() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':charge:'
        '--amount:amount:'
        '--code[Group and reason code, e.g. CO-45, PR-1.]:code:'
        '--responsibility[patient, insurance1, insurance2 or insurance3.]:responsibility:'
        '--date:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_refund() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':payment:'
        '--amount:amount:'
        '--method:method:'
        '--date:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_transfer() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':charge:'
        '--from:from:'
        '--to:to:'
        '--amount:amount:'
        '--date:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_void() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':kind:'
        ':id:'
        '--date:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_ledger() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'account:A patient'\''s ledger: every posting with running balances by responsibility.'
            'daily:The day sheet: charges, payments, adjustments and refunds of a day by provider, staff and method, with totals that reconcile (or a range of days with --through).'
            'aging:Accounts receivable by age: 0-30, 31-60, 61-90, 91-120, over 120 days.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        account|daily|aging)
            "_clinic_ledger_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_ledger_account() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':patient:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_ledger_daily() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--date[today, yesterday or YYYY-MM-DD.]:date:'
        '--through[The last day of a range (a month-end run).]:through:'
        '--csv[Print the summary as CSV.]'
        '--postings[List every posting of the day.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_ledger_aging() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--date[The day ages are counted to.]:date:'
        '--csv[Print CSV.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_day() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'close:Close a day: record its totals and sign a checkpoint of the log; the day'\''s figures never change afterwards (later corrections post to an open day).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        close)
            "_clinic_day_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_day_close() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '--date[today, yesterday or YYYY-MM-DD.]:date:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_payer() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Define a payer.'
            'list:List the payers.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|list)
            "_clinic_payer_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_payer_add() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '--name:name:'
        '--type[commercial, medicare, medicaid, military, workersCompensation, other.]:type:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_payer_list() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_coverage() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'add:Add a coverage.'
            'end:End a coverage on its last covered day.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        add|end)
            "_clinic_coverage_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_coverage_add() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--payer:payer:'
        '--member[The member id on the insurance card.]:member:'
        '--order[primary, secondary or tertiary.]:order:'
        '--copay:copay:'
        '--from[First covered day (default today).]:from:'
        '--until[Last covered day.]:until:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_coverage_end() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':coverage:'
        '--on[Last covered day.]:on:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_eligibility() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':coverage:'
        '--result[active, inactive or unknown.]:result:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'notice:The patient acknowledged the privacy notice.'
            'grant:Record the patient'\''s consent to disclosures.'
            'revoke:Revoke a consent or authorization from now on.'
            'authorize:Record a signed HIPAA 164.508 authorization.'
            'restrict:Record the patient'\''s request to restrict disclosures.'
            'agree:Agree to a requested restriction.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        notice|grant|revoke|authorize|restrict|agree)
            "_clinic_consent_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_consent_notice() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--notice-version:notice-version:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent_grant() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '*--to[A recipient name (repeatable).]:to:'
        '*--category[A recipient category (repeatable).]:category:'
        '*--purpose[A purpose (repeatable)\: treatment, payment, research, ...]:purpose:'
        '--until[Last day in force.]:until:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent_revoke() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':consent:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent_authorize() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--to:to:'
        '--category:category:'
        '--address:address:'
        '--purpose:purpose:'
        '--information[What information may be disclosed.]:information:'
        '--until[Last day in force.]:until:'
        '--signed-by[Who signed (the patient or their representative).]:signed-by:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent_restrict() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '*--category:category:'
        '*--purpose:purpose:'
        '--information:information:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_consent_agree() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        ':restriction:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_disclose() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        ':patient:'
        '--to:to:'
        '--category:category:'
        '--address:address:'
        '--purpose:purpose:'
        '--information:information:'
        '--basis[treatment, payment, operations, law, consent\:ID or authorization\:ID.]:basis:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_retention() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'policy:Show the retention policy, or set it with --years (and --minor-years).'
            'apply:Erase the records whose retention period ended before a date, listing them first and asking for confirmation.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        policy|apply)
            "_clinic_retention_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_retention_policy() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--years[Years to keep a record after the patient'\''s last activity (6 to 100; default\: the policy in force'\''s).]:years:'
        '--minor-years[Years to keep a minor'\''s record after their 18th birthday (0 to 100; default\: as in force, else 0).]:minor-years:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--reason[Why the policy changes (kept in the log; no patient data).]:reason:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_retention_apply() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '--before[Erase records whose retention period ended before this date (today or earlier).]:before:'
        '--dry-run[Only list what would be erased.]'
        '--yes[Erase without asking (for scripts; the list is still printed).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_rebuild() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'verify:Check every batch, record, position, index, signature and the Merkle tree against every checkpoint; exit 0 only when everything holds.'
            'history:Every event that touched a patient (or a stream), with recorded and effective time, actor, role, reason, and links to what it corrects.'
            'disclosures:The accounting of a patient'\''s disclosures (HIPAA 164.528), without the exempt ones unless --all.'
            'checkpoint:Take and sign a checkpoint of the whole log now.'
            'checkpoints:List the signed checkpoints.'
            'export-checkpoint:Write a signed checkpoint (the latest, or number N) as a JSON document to keep off the machine.'
            'prove:An inclusion proof that the event at a position is in the log a checkpoint covers.'
            'prove-consistency:A consistency proof that the log at checkpoint NEW extends the log at checkpoint OLD unchanged.'
            'export:Everything held about a patient (HIPAA 164.524 right of access) as JSON, with a proof bundle.'
            'as-of:Show the schedule, a day sheet or a chart exactly as the office knew it at a moment (what was recorded by then), or with --effective as it was true on a date including later late entries.'
            'diff:What changed in a chart, consent view, ledger or schedule between two moments: the events recorded in between that changed it, and the rows added, removed and changed.'
            'access:Who read which patient'\''s record and why, break-glass uses (flagged), refusals, sign-ins and passphrase changes: for a patient, a staff member, or everyone.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        verify|history|disclosures|checkpoint|checkpoints|export-checkpoint|prove|prove-consistency|export|as-of|diff|access)
            "_clinic_audit_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clinic_audit_verify() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--since-checkpoint[Verify only what was added after this exported checkpoint.]:since-checkpoint:'
        '*--against[An exported checkpoint the log must still match (repeatable).]:against:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_history() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':subject:'
        '--from[Only events recorded from this day on.]:from:'
        '--to[Only events recorded up to this day.]:to:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_disclosures() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':patient:'
        '--years[How many years back (at most 6).]:years:'
        '--all[Also list the disclosures the accounting leaves out (treatment, payment, operations).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_checkpoint() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id acting (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--id[The command'\''s id (32 hex digits); a retry with the same id never appends twice.]:id:'
        '--effective[When it happened, if not now (a late entry)\: YYYY-MM-DD HH\:MM, or HH\:MM today.]:effective:'
        '--reason[Why (required for late entries, corrections, cancellations); no patient data.]:reason:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_checkpoints() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_export-checkpoint() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--number[The checkpoint'\''s number in clinic audit checkpoints (default\: the latest).]:number:'
        '--out[Where to write it (- for standard output).]:out:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_prove() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        ':position:'
        '--checkpoint[An exported checkpoint document (default\: the latest stored checkpoint).]:checkpoint:'
        '--out[Where to write the proof (- for standard output).]:out:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_prove-consistency() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        ':old:'
        ':new:'
        '--out[Where to write the proof (- for standard output).]:out:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_export() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':patient:'
        '--out[Where to write the export (- for standard output; a new file gets mode 0600).]:out:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_as-of() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':moment:'
        ':view:'
        '--patient[The patient (for chart).]:patient:'
        '--date[The day shown (for schedule and ledger; default\: the moment'\''s day).]:date:'
        '--effective[Fold what was true on the moment'\''s day (effective dates), including entries recorded later.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_diff() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':from:'
        ':to:'
        ':view:'
        '--patient[The patient (for chart and consent; for ledger, the patient'\''s account instead of a day sheet).]:patient:'
        '--date[The day shown (for schedule and a ledger'\''s day sheet; default\: the second moment'\''s day).]:date:'
        '--effective[Compare what was true on the two moments'\'' days (effective dates), including later late entries.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_audit_access() {
    local -i ret=1
    local -ar arg_specs=(
        '--store[The store directory (default\: $CLINIC_STORE, else ~/.local/share/cliniclog/store).]:store:'
        '--master-key[The master key file (default\: STORE/master.key).]:master-key:'
        '--json[Print machine-readable JSON instead of a table.]'
        '--verbose[Add technical detail to error messages.]'
        '--quiet[Print only the id of the record a command creates (for scripts).]'
        '--as[The signed-in staff id reading (default\: $CLINIC_STAFF, else the only staff member signed in).]:as:'
        '--role[The role to act in (default\: $CLINIC_ROLE, else the staff member'\''s only role).]:role:'
        '--purpose[Why a patient'\''s record is read\: treatment, payment, operations, patient-request or required-by-law (default\: treatment for a chart, payment for a ledger, patient-request for an export, else operations).]:purpose:'
        ':subject:'
        '--flagged[Only the entries flagged for review (break-glass uses and the reads made under them).]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clinic_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _clinic ]]; then
    _clinic "${@}"
else
    compdef _clinic clinic
fi
