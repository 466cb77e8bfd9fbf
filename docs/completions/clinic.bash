#!/bin/bash

__clinic_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__clinic_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__clinic_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__clinic_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_clinic() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(-h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    init|status|signin|signout|keys|demo|staff|patient|availability|book|reschedule|visit|cancel|schedule|slots|chart|vitals|allergy|medication|problem|note|amendment|fee|charge|payment|apply|adjust|refund|transfer|void|ledger|day|payer|coverage|eligibility|consent|disclose|retention|rebuild|audit|help)
        # Offer subcommand argument completions
        "_clinic_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'init status signin signout keys demo staff patient availability book reschedule visit cancel schedule slots chart vitals allergy medication problem note amendment fee charge payment apply adjust refund transfer void ledger day payer coverage eligibility consent disclose retention rebuild audit help' -- "${cur}"))
        ;;
    esac
}

_clinic_init() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --admin --admin-name --time-zone --passphrase-file --session-idle-minutes)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--admin')
        return
        ;;
    '--admin-name')
        return
        ;;
    '--time-zone')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    '--session-idle-minutes')
        return
        ;;
    esac
}

_clinic_status() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    esac
}

_clinic_signin() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --passphrase-file)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    esac
}

_clinic_signout() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    esac
}

_clinic_keys() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    rotate)
        # Offer subcommand argument completions
        "_clinic_keys_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'rotate' -- "${cur}"))
        ;;
    esac
}

_clinic_keys_rotate() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_demo() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --replace -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --years --days --providers --patients --per-day --seed --time-zone)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--years')
        return
        ;;
    '--days')
        return
        ;;
    '--providers')
        return
        ;;
    '--patients')
        return
        ;;
    '--per-day')
        return
        ;;
    '--seed')
        return
        ;;
    '--time-zone')
        return
        ;;
    esac
}

_clinic_staff() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|grant|revoke|list|passphrase)
        # Offer subcommand argument completions
        "_clinic_staff_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add grant revoke list passphrase' -- "${cur}"))
        ;;
    esac
}

_clinic_staff_add() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --name --roles)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--name')
        return
        ;;
    '--roles')
        return
        ;;
    esac
}

_clinic_staff_grant() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_staff_revoke() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_staff_list() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_staff_passphrase() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --passphrase-file)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--passphrase-file')
        return
        ;;
    esac
}

_clinic_patient() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    register|find|show|update|merge|death|erase)
        # Offer subcommand argument completions
        "_clinic_patient_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'register find show update merge death erase' -- "${cur}"))
        ;;
    esac
}

_clinic_patient_register() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --family --given --birth --language)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--family')
        return
        ;;
    '--given')
        return
        ;;
    '--birth')
        return
        ;;
    '--language')
        return
        ;;
    esac
}

_clinic_patient_find() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --name --birth --id)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--name')
        return
        ;;
    '--birth')
        return
        ;;
    '--id')
        return
        ;;
    esac
}

_clinic_patient_show() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_patient_update() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --family --given --birth)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--family')
        return
        ;;
    '--given')
        return
        ;;
    '--birth')
        return
        ;;
    esac
}

_clinic_patient_merge() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --into)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--into')
        return
        ;;
    esac
}

_clinic_patient_death() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_patient_erase() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --confirm -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --because)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--because')
        return
        ;;
    esac
}

_clinic_availability() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    define)
        # Offer subcommand argument completions
        "_clinic_availability_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'define' -- "${cur}"))
        ;;
    esac
}

_clinic_availability_define() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --provider --days --date --from --to --slot)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--provider')
        return
        ;;
    '--days')
        return
        ;;
    '--date')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--slot')
        return
        ;;
    esac
}

_clinic_book() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --overbook -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --provider --start --minutes --visit-reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--provider')
        return
        ;;
    '--start')
        return
        ;;
    '--minutes')
        return
        ;;
    '--visit-reason')
        return
        ;;
    esac
}

_clinic_reschedule() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --overbook -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --start --minutes)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--start')
        return
        ;;
    '--minutes')
        return
        ;;
    esac
}

_clinic_visit() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    confirm|arrive|checkin|room|checkout|noshow|error)
        # Offer subcommand argument completions
        "_clinic_visit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'confirm arrive checkin room checkout noshow error' -- "${cur}"))
        ;;
    esac
}

_clinic_visit_confirm() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_visit_arrive() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_visit_checkin() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_visit_room() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --room)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--room')
        return
        ;;
    esac
}

_clinic_visit_checkout() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_visit_noshow() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_visit_error() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_cancel() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_schedule() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --csv -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --date --provider)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--date')
        return
        ;;
    '--provider')
        return
        ;;
    esac
}

_clinic_slots() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --provider --date)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--provider')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_chart() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --break-glass)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--break-glass')
        return
        ;;
    esac
}

_clinic_vitals() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --visit --bp --pulse --weight --height --temperature --spo2 --respiration)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--visit')
        return
        ;;
    '--bp')
        return
        ;;
    '--pulse')
        return
        ;;
    '--weight')
        return
        ;;
    '--height')
        return
        ;;
    '--temperature')
        return
        ;;
    '--spo2')
        return
        ;;
    '--respiration')
        return
        ;;
    esac
}

_clinic_allergy() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|resolve|error)
        # Offer subcommand argument completions
        "_clinic_allergy_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add resolve error' -- "${cur}"))
        ;;
    esac
}

_clinic_allergy_add() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --confirmed -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --substance --reaction --severity)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--substance')
        return
        ;;
    '--reaction')
        return
        ;;
    '--severity')
        return
        ;;
    esac
}

_clinic_allergy_resolve() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_allergy_error() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_medication() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    start|stop)
        # Offer subcommand argument completions
        "_clinic_medication_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'start stop' -- "${cur}"))
        ;;
    esac
}

_clinic_medication_start() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --name --dose --route --frequency --for)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--name')
        return
        ;;
    '--dose')
        return
        ;;
    '--route')
        return
        ;;
    '--frequency')
        return
        ;;
    '--for')
        return
        ;;
    esac
}

_clinic_medication_stop() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_problem() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|resolve)
        # Offer subcommand argument completions
        "_clinic_problem_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add resolve' -- "${cur}"))
        ;;
    esac
}

_clinic_problem_add() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --code --onset)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--code')
        return
        ;;
    '--onset')
        return
        ;;
    esac
}

_clinic_problem_resolve() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_note() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    sign|addendum)
        # Offer subcommand argument completions
        "_clinic_note_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'sign addendum' -- "${cur}"))
        ;;
    esac
}

_clinic_note_sign() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --visit --text --file)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--visit')
        return
        ;;
    '--text')
        return
        ;;
    '--file')
        return
        ;;
    esac
}

_clinic_note_addendum() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --text --file)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--text')
        return
        ;;
    '--file')
        return
        ;;
    esac
}

_clinic_amendment() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    request|accept|deny)
        # Offer subcommand argument completions
        "_clinic_amendment_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'request accept deny' -- "${cur}"))
        ;;
    esac
}

_clinic_amendment_request() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--entry)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --request)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--entry')
        return
        ;;
    '--request')
        return
        ;;
    esac
}

_clinic_amendment_accept() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--correction)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--correction')
        return
        ;;
    esac
}

_clinic_amendment_deny() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --basis --explanation --instructions)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--basis')
        return
        ;;
    '--explanation')
        return
        ;;
    '--instructions')
        return
        ;;
    esac
}

_clinic_fee() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    set|withdraw|list)
        # Offer subcommand argument completions
        "_clinic_fee_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'set withdraw list' -- "${cur}"))
        ;;
    esac
}

_clinic_fee_set() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--modifier)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --amount --from --description)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--amount')
        return
        ;;
    '--modifier')
        return
        ;;
    '--from')
        return
        ;;
    '--description')
        return
        ;;
    esac
}

_clinic_fee_withdraw() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--modifier)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --from)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--modifier')
        return
        ;;
    '--from')
        return
        ;;
    esac
}

_clinic_fee_list() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --history --csv -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --as-of)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--as-of')
        return
        ;;
    esac
}

_clinic_charge() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--modifier --dx)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --visit --cpt --units --pointers --amount --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--visit')
        return
        ;;
    '--cpt')
        return
        ;;
    '--modifier')
        return
        ;;
    '--units')
        return
        ;;
    '--dx')
        return
        ;;
    '--pointers')
        return
        ;;
    '--amount')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_payment() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --amount --method --payer --level --reference --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--amount')
        return
        ;;
    '--method')
        return
        ;;
    '--payer')
        return
        ;;
    '--level')
        return
        ;;
    '--reference')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_apply() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --credit -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --charge --amount --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--charge')
        return
        ;;
    '--amount')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_adjust() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --amount --code --responsibility --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--amount')
        return
        ;;
    '--code')
        return
        ;;
    '--responsibility')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_refund() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --amount --method --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--amount')
        return
        ;;
    '--method')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_transfer() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --from --to --amount --date)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '--amount')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_void() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --date)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_ledger() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    account|daily|aging)
        # Offer subcommand argument completions
        "_clinic_ledger_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'account daily aging' -- "${cur}"))
        ;;
    esac
}

_clinic_ledger_account() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_ledger_daily() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --csv --postings -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --date --through)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--date')
        return
        ;;
    '--through')
        return
        ;;
    esac
}

_clinic_ledger_aging() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --csv -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --date)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_day() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    close)
        # Offer subcommand argument completions
        "_clinic_day_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'close' -- "${cur}"))
        ;;
    esac
}

_clinic_day_close() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --date)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_payer() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|list)
        # Offer subcommand argument completions
        "_clinic_payer_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add list' -- "${cur}"))
        ;;
    esac
}

_clinic_payer_add() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --name --type)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--name')
        return
        ;;
    '--type')
        return
        ;;
    esac
}

_clinic_payer_list() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_coverage() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    add|end)
        # Offer subcommand argument completions
        "_clinic_coverage_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'add end' -- "${cur}"))
        ;;
    esac
}

_clinic_coverage_add() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --payer --member --order --copay --from --until)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--payer')
        return
        ;;
    '--member')
        return
        ;;
    '--order')
        return
        ;;
    '--copay')
        return
        ;;
    '--from')
        return
        ;;
    '--until')
        return
        ;;
    esac
}

_clinic_coverage_end() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --on)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--on')
        return
        ;;
    esac
}

_clinic_eligibility() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --result)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--result')
        return
        ;;
    esac
}

_clinic_consent() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    notice|grant|revoke|authorize|restrict|agree)
        # Offer subcommand argument completions
        "_clinic_consent_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'notice grant revoke authorize restrict agree' -- "${cur}"))
        ;;
    esac
}

_clinic_consent_notice() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --notice-version)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--notice-version')
        return
        ;;
    esac
}

_clinic_consent_grant() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--to --category --purpose)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --until)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--to')
        return
        ;;
    '--category')
        return
        ;;
    '--purpose')
        return
        ;;
    '--until')
        return
        ;;
    esac
}

_clinic_consent_revoke() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_consent_authorize() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --to --category --address --purpose --information --until --signed-by)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--to')
        return
        ;;
    '--category')
        return
        ;;
    '--address')
        return
        ;;
    '--purpose')
        return
        ;;
    '--information')
        return
        ;;
    '--until')
        return
        ;;
    '--signed-by')
        return
        ;;
    esac
}

_clinic_consent_restrict() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--category --purpose)
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --information)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--category')
        return
        ;;
    '--purpose')
        return
        ;;
    '--information')
        return
        ;;
    esac
}

_clinic_consent_agree() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_disclose() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason --to --category --address --purpose --information --basis)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    '--to')
        return
        ;;
    '--category')
        return
        ;;
    '--address')
        return
        ;;
    '--purpose')
        return
        ;;
    '--information')
        return
        ;;
    '--basis')
        return
        ;;
    esac
}

_clinic_retention() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    policy|apply)
        # Offer subcommand argument completions
        "_clinic_retention_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'policy apply' -- "${cur}"))
        ;;
    esac
}

_clinic_retention_policy() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --years --minor-years --id --reason)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--years')
        return
        ;;
    '--minor-years')
        return
        ;;
    '--id')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_retention_apply() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --dry-run --yes -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --before)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--before')
        return
        ;;
    esac
}

_clinic_rebuild() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_audit() {
    repeating_flags=()
    non_repeating_flags=(-h --help)
    repeating_options=()
    non_repeating_options=()
    __clinic_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    verify|history|disclosures|checkpoint|checkpoints|export-checkpoint|prove|prove-consistency|export|as-of|diff|access)
        # Offer subcommand argument completions
        "_clinic_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'verify history disclosures checkpoint checkpoints export-checkpoint prove prove-consistency export as-of diff access' -- "${cur}"))
        ;;
    esac
}

_clinic_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=(--against)
    non_repeating_options=(--store --master-key --since-checkpoint)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--since-checkpoint')
        return
        ;;
    '--against')
        return
        ;;
    esac
}

_clinic_audit_history() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --from --to)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    esac
}

_clinic_audit_disclosures() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --all -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --years)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--years')
        return
        ;;
    esac
}

_clinic_audit_checkpoint() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --id --effective --reason)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--id')
        return
        ;;
    '--effective')
        return
        ;;
    '--reason')
        return
        ;;
    esac
}

_clinic_audit_checkpoints() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    esac
}

_clinic_audit_export-checkpoint() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --number --out)
    __clinic_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--number')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_clinic_audit_prove() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --checkpoint --out)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--checkpoint')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_clinic_audit_prove-consistency() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --out)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_clinic_audit_export() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --out)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--out')
        return
        ;;
    esac
}

_clinic_audit_as-of() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --effective -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --patient --date)
    __clinic_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--patient')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_audit_diff() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --effective -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose --patient --date)
    __clinic_offer_flags_options 3

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    '--patient')
        return
        ;;
    '--date')
        return
        ;;
    esac
}

_clinic_audit_access() {
    repeating_flags=()
    non_repeating_flags=(--json --verbose --quiet --flagged -h --help)
    repeating_options=()
    non_repeating_options=(--store --master-key --as --role --purpose)
    __clinic_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--store')
        return
        ;;
    '--master-key')
        return
        ;;
    '--as')
        return
        ;;
    '--role')
        return
        ;;
    '--purpose')
        return
        ;;
    esac
}

_clinic_help() {
    :
}

complete -o filenames -F _clinic clinic
