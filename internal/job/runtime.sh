# Gyre's job runtime: the behaviour of Cylc 8's job.sh, re-expressed.
# Functions named cylc__* are the ones Cylc jobs and users call; gyre__*
# functions are Gyre's own plumbing. The lifecycle lines of job.status
# (CYLC_JOB_PID, _INIT_TIME, _EXIT, _EXIT_TIME) are written here, before each
# message is sent, so the file is complete even when no message gets through.

# Run the job: environment, init-script, traps, then the user's scripting in
# a child process (so a trapped signal interrupts the wait at once), then the
# succeeded message and the exit-script.
cylc__job__main() {
    cylc__job__inst__cylc_env
    if "${CYLC_DEBUG:-false}"; then
        # Trace to a file of its own, each line stamped with time and host.
        PS4='+[\D{%Y%m%dT%H%M%S%z}]\u@\h '
        exec 19>>"${CYLC_WORKFLOW_RUN_DIR}/log/job/${CYLC_TASK_JOB}/job.xtrace"
        export BASH_XTRACEFD=19
        >&2 echo "Sending DEBUG MODE xtrace to job.xtrace"
        set -x
    fi
    cylc__job__run_inst_func 'init_script'
    # The init-script may have disabled some of these traps.
    typeset signal_name=
    for signal_name in ${CYLC_FAIL_SIGNALS}; do
        # shellcheck disable=SC2064
        trap "cylc__job_err ${signal_name}" "${signal_name}"
    done
    for signal_name in ${CYLC_VACATION_SIGNALS:-}; do
        # shellcheck disable=SC2064
        trap "cylc__job_vacation ${signal_name}" "${signal_name}"
    done
    set -euo pipefail

    USER="${USER:-$(whoami)}"
    typeset host="${HOSTNAME:-}"
    if [[ -z "${host}" ]]; then
        host="$(hostname -f 2>/dev/null || hostname)"
    fi
    echo "Workflow : ${CYLC_WORKFLOW_ID}"
    echo "Job : ${CYLC_TASK_JOB} (try ${CYLC_TASK_TRY_NUMBER})"
    echo "User@Host: ${USER}@${host}"
    echo

    # Everything else follows from the run directory and the job ID.
    export CYLC_WORKFLOW_LOG_DIR="${CYLC_WORKFLOW_RUN_DIR}/log/scheduler"
    export CYLC_WORKFLOW_SHARE_DIR="${CYLC_WORKFLOW_RUN_DIR}/share"
    export CYLC_WORKFLOW_WORK_DIR="${CYLC_WORKFLOW_RUN_DIR}/work"
    export CYLC_TASK_CYCLE_POINT="${CYLC_TASK_JOB%%/*}"
    export CYLC_TASK_NAME="${CYLC_TASK_JOB#*/}"
    CYLC_TASK_NAME="${CYLC_TASK_NAME%/*}"
    if [[ "${CYLC_CYCLING_MODE}" != 'integer' ]]; then
        export ISODATETIMECALENDAR="${CYLC_CYCLING_MODE}"
        export ISODATETIMEREF="${CYLC_TASK_CYCLE_POINT}"
    fi
    # 10#: the zero-padded submit number is decimal, not octal.
    export CYLC_TASK_SUBMIT_NUMBER="$((10#${CYLC_TASK_JOB##*/}))"
    export CYLC_TASK_ID="${CYLC_TASK_CYCLE_POINT}/${CYLC_TASK_NAME}"
    export CYLC_TASK_LOG_DIR="${CYLC_WORKFLOW_RUN_DIR}/log/job/${CYLC_TASK_JOB}"
    export CYLC_TASK_LOG_ROOT="${CYLC_TASK_LOG_DIR}/job"
    if [[ -n "${CYLC_TASK_WORK_DIR_BASE:-}" ]]; then
        # It may name the variables above, so it is expanded only now.
        CYLC_TASK_WORK_DIR_BASE="$(eval echo "${CYLC_TASK_WORK_DIR_BASE}")"
    else
        CYLC_TASK_WORK_DIR_BASE="${CYLC_TASK_CYCLE_POINT}/${CYLC_TASK_NAME}"
    fi
    export CYLC_TASK_WORK_DIR="${CYLC_WORKFLOW_WORK_DIR}/${CYLC_TASK_WORK_DIR_BASE}"
    export CYLC_TASK_SHARE_CYCLE_DIR="${CYLC_WORKFLOW_SHARE_DIR}/cycle/${CYLC_TASK_CYCLE_POINT}"
    # The contact file exists only while the scheduler runs (and not at
    # all for jobs on hosts that only poll): it may vanish at any moment,
    # so it is read once, and its absence is not an error.
    typeset contact
    contact="$(cat "${CYLC_WORKFLOW_RUN_DIR}/.service/contact" 2>/dev/null)" || contact=
    if [[ -n "${contact}" ]]; then
        CYLC_WORKFLOW_HOST="$(sed -n 's/^CYLC_WORKFLOW_HOST=//p' <<<"${contact}")"
        CYLC_WORKFLOW_OWNER="$(sed -n 's/^CYLC_WORKFLOW_OWNER=//p' <<<"${contact}")"
        export CYLC_WORKFLOW_HOST CYLC_WORKFLOW_OWNER
        export CYLC_SUITE_HOST="${CYLC_WORKFLOW_HOST}"
        export CYLC_SUITE_OWNER="${CYLC_WORKFLOW_OWNER}"
    fi
    # Cylc 7 names, still set by Cylc 8 for old scripts.
    export CYLC_SUITE_SHARE_DIR="${CYLC_WORKFLOW_SHARE_DIR}"
    export CYLC_SUITE_SHARE_PATH="${CYLC_WORKFLOW_SHARE_DIR}"
    export CYLC_SUITE_NAME="${CYLC_WORKFLOW_ID}"
    export CYLC_SUITE_LOG_DIR="${CYLC_WORKFLOW_LOG_DIR}"
    export CYLC_SUITE_INITIAL_CYCLE_POINT="${CYLC_WORKFLOW_INITIAL_CYCLE_POINT}"
    export CYLC_SUITE_INITIAL_CYCLE_TIME="${CYLC_WORKFLOW_INITIAL_CYCLE_POINT}"
    export CYLC_SUITE_FINAL_CYCLE_POINT="${CYLC_WORKFLOW_FINAL_CYCLE_POINT}"
    export CYLC_SUITE_FINAL_CYCLE_TIME="${CYLC_WORKFLOW_FINAL_CYCLE_POINT}"
    export CYLC_SUITE_WORK_DIR="${CYLC_WORKFLOW_WORK_DIR}"
    export CYLC_SUITE_UUID="${CYLC_WORKFLOW_UUID}"
    export CYLC_SUITE_RUN_DIR="${CYLC_WORKFLOW_RUN_DIR}"
    export CYLC_SUITE_DEF_PATH="${CYLC_WORKFLOW_RUN_DIR}"
    export CYLC_TASK_CYCLE_TIME="${CYLC_TASK_CYCLE_POINT}"
    export CYLC_TASK_WORK_PATH="${CYLC_TASK_WORK_DIR}"

    gyre__job__record 'started'
    gyre__job__send_started
    # Workflow commands must be on PATH before the user environment is
    # evaluated: values may run them.
    export PATH="${CYLC_WORKFLOW_RUN_DIR}/share/bin:${CYLC_WORKFLOW_RUN_DIR}/bin:${PATH}"
    export PYTHONPATH="${CYLC_WORKFLOW_RUN_DIR}/share/lib/python:${CYLC_WORKFLOW_RUN_DIR}/lib/python:${PYTHONPATH:-}"
    mkdir -p "${CYLC_TASK_SHARE_CYCLE_DIR}" || true
    mkdir -p "$(dirname "${CYLC_TASK_WORK_DIR}")" || true
    mkdir -p "${CYLC_TASK_WORK_DIR}"
    cd "${CYLC_TASK_WORK_DIR}"

    # The user's scripting runs in a child so that it cannot disturb this
    # shell's traps, and so that a trapped signal interrupts "wait" at once.
    cylc__job__run_user_scripts &
    CYLC_TASK_USER_SCRIPT_PID=$!
    wait "${CYLC_TASK_USER_SCRIPT_PID}" || {
        typeset ret_code="$?"
        if ((ret_code > 128)); then
            # Killed by a signal. A kill signals the whole job, and this
            # shell may see its child die before its own trap has run:
            # fail as that trap would have, if it is still set.
            typeset sig_name
            sig_name="$(kill -l "$((ret_code - 128))" 2>/dev/null || true)"
            if [[ -n "${sig_name}" && "$(trap -p "${sig_name}")" == *"cylc__job_err ${sig_name}"* ]]; then
                cylc__job_err "${sig_name}"
            fi
            # A signal this shell does not trap: exit through the EXIT trap.
            exit "${ret_code}"
        fi
        # Fail through the ERR trap, keeping the exit code.
        cylc__set_return "${ret_code}"
    }
    # Leave the work directory, and remove it if the job left it empty.
    cd "${HOME:-/}" 2>/dev/null || cd /
    rmdir "${CYLC_TASK_WORK_DIR}" 2>/dev/null || true
    cylc__job__wait_cylc_message_started
    gyre__job__record 'succeeded'
    cylc message -- "${CYLC_WORKFLOW_ID}" "${CYLC_TASK_JOB}" 'succeeded' || true
    gyre__job__ignore_signals
    cylc__job__run_inst_func 'exit_script'
    exit 0
}

# Ignore the trapped signals from now on, so that the job finishes the way
# it has begun to. (Cylc's "trap ''" with no signals left fails the job.)
gyre__job__ignore_signals() {
    typeset signals="${CYLC_VACATION_SIGNALS:-} ${CYLC_FAIL_SIGNALS}"
    if [[ -n "${signals// /}" ]]; then
        # shellcheck disable=SC2086
        trap '' ${signals}
    fi
}

# Run the user's scripting, in Cylc's order.
cylc__job__run_user_scripts() {
    typeset func_name=
    for func_name in 'env_script' 'user_env' 'pre_script' 'script' 'post_script'; do
        cylc__job__run_inst_func "${func_name}"
    done
}

# Return the given code: a failing function call is what reliably fires the
# ERR trap across bash versions.
cylc__set_return() {
    return "${1:-0}"
}

# Stop trapping the given failure signals, or all of them with no argument.
# Effective from the init-script, which runs before the traps are set.
cylc__job__disable_fail_signals() {
    if [[ "$#" == '0' ]]; then
        CYLC_FAIL_SIGNALS=
        return
    fi
    typeset kept= signal= off=
    for signal in ${CYLC_FAIL_SIGNALS}; do
        for off in "$@"; do
            [[ "${signal}" == "${off}" ]] && continue 2
        done
        kept="${kept:+${kept} }${signal}"
    done
    CYLC_FAIL_SIGNALS="${kept}"
}

# Start sending the started message in the background. The sender holds the
# write end of a pipe whose read end this shell keeps on
# GYRE_STARTED_MESSAGE_FD, so any process of the job (even the user's
# scripting, which cannot wait for a sibling) learns that the message has gone
# by reading to end-of-file: no polling.
gyre__job__send_started() {
    typeset out_fd=
    exec {out_fd}>&1
    exec {GYRE_STARTED_MESSAGE_FD}< <(
        exec 9>&1 1>&"${out_fd}" {out_fd}>&-
        cylc message -- "${CYLC_WORKFLOW_ID}" "${CYLC_TASK_JOB}" 'started'
    )
    CYLC_TASK_MESSAGE_STARTED_PID="${!:-}"
    exec {out_fd}>&-
}

# Wait until the started message has been sent; returns 0 regardless.
cylc__job__wait_cylc_message_started() {
    if [[ -n "${GYRE_STARTED_MESSAGE_FD:-}" ]]; then
        typeset discard=
        while read -r -u "${GYRE_STARTED_MESSAGE_FD}" discard 2>/dev/null; do
            :
        done
    fi
    return 0
}

# Wait up to a minute for a line of the scheduler log to match, then print
# it; the arguments are grep's (pattern and options). The log is followed as
# it grows rather than re-read every second as Cylc does.
# GYRE_POLL_GREP_TIMEOUT (seconds) changes the limit, for tests.
cylc__job__poll_grep_workflow_log() {
    typeset log="${CYLC_WORKFLOW_LOG_DIR}/log" feed= tailer= found=0
    exec {feed}< <(exec timeout "${GYRE_POLL_GREP_TIMEOUT:-60}" tail -n +1 -F "${log}" 2>/dev/null)
    tailer="${!:-}"
    grep -m 1 "$@" <&"${feed}" || found=$?
    kill "${tailer}" 2>/dev/null || true
    wait "${tailer}" 2>/dev/null || true
    exec {feed}<&-
    if ((found != 0)); then
        echo "ERROR: poll timed out: grep -s $* ${log}" >&2
        exit 1
    fi
}

# Call cylc__job__inst__NAME with the remaining arguments, if it exists.
cylc__job__run_inst_func() {
    typeset func_name="$1"
    shift 1
    if typeset -f "cylc__job__inst__${func_name}" >/dev/null 2>&1; then
        "cylc__job__inst__${func_name}" "$@"
    fi
}

# Set GYRE_NOW to the time as Cylc writes event times: ISO 8601 extended,
# whole seconds, "Z" for UTC or else +HH:MM.
gyre__job__now() {
    printf -v GYRE_NOW '%(%Y-%m-%dT%H:%M:%S%z)T' -1
    typeset zone="${GYRE_NOW: -5}"
    GYRE_NOW="${GYRE_NOW%?????}"
    if [[ "${zone}" == [+-]0000 ]]; then
        GYRE_NOW+='Z'
    else
        GYRE_NOW+="${zone:0:3}:${zone:3:2}"
    fi
}

gyre__job__status_file() {
    GYRE_STATUS_FILE="${CYLC_TASK_LOG_ROOT:-${CYLC_WORKFLOW_RUN_DIR}/log/job/${CYLC_TASK_JOB}/job}.status"
}

# Append lines to job.status. Failing to write is reported, never fatal.
gyre__job__status_append() {
    gyre__job__status_file
    { printf '%s\n' "$@" >>"${GYRE_STATUS_FILE}"; } 2>/dev/null ||
        echo "WARNING: cannot write ${GYRE_STATUS_FILE}" >&2
}

# Record in job.status what a message means, as Cylc's message client does:
# started and the exits become CYLC_JOB_* lines, a vacation clears the run's
# lines, anything else is a CYLC_MESSAGE=TIME|SEVERITY|TEXT line.
gyre__job__record() {
    typeset severity='INFO' text="$1"
    if [[ "${text}" == *:* ]]; then
        severity="${text%%:*}"
        text="${text#*:}"
        text="${text#"${text%%[![:space:]]*}"}"
    fi
    gyre__job__now
    case "${text}" in
    started)
        gyre__job__status_append "CYLC_JOB_PID=$$" "CYLC_JOB_INIT_TIME=${GYRE_NOW}"
        ;;
    succeeded)
        gyre__job__status_append 'CYLC_JOB_EXIT=SUCCEEDED' "CYLC_JOB_EXIT_TIME=${GYRE_NOW}"
        ;;
    failed/?* | aborted/?*)
        gyre__job__status_append "CYLC_JOB_EXIT=${text#*/}" "CYLC_JOB_EXIT_TIME=${GYRE_NOW}"
        ;;
    vacated/?*)
        # The job will run again: forget this run, keep the runner's lines.
        gyre__job__status_file
        typeset kept="${GYRE_STATUS_FILE}.$$"
        if grep -v -e '^CYLC_JOB_PID=' -e '^CYLC_JOB_INIT_TIME=' \
            -e '^CYLC_JOB_EXIT=' -e '^CYLC_JOB_EXIT_TIME=' \
            "${GYRE_STATUS_FILE}" >"${kept}" 2>/dev/null || [[ -f "${kept}" ]]; then
            mv -f "${kept}" "${GYRE_STATUS_FILE}" || true
        fi
        gyre__job__status_append "CYLC_MESSAGE=${GYRE_NOW}|${severity}|${text}"
        ;;
    *)
        gyre__job__status_append "CYLC_MESSAGE=${GYRE_NOW}|${severity}|${text}"
        ;;
    esac
}

# Finish a failed, aborted or vacated job: record and send the message unless
# an exit is already recorded, pass a real signal on to the user's processes,
# run the err-script if asked, and exit with the user's exit code.
# Arguments: SIGNAL RUN_ERR_SCRIPT(true|false) MESSAGE...
cylc__job_finish_err() {
    CYLC_TASK_USER_SCRIPT_EXITCODE="${CYLC_TASK_USER_SCRIPT_EXITCODE:-$?}"
    typeset signal="$1"
    typeset run_err_script="$2"
    shift 2
    gyre__job__ignore_signals
    typeset real_signal=false
    if [[ "${signal}" != 'ERR' ]] && [[ "${signal}" != 'EXIT' ]]; then
        real_signal=true
        # Exit as a process killed by the signal would, also when it came
        # between commands rather than during the wait for the user's
        # scripting (Cylc would exit 0 then).
        typeset number=
        number="$(kill -l "${signal}" 2>/dev/null)" &&
            CYLC_TASK_USER_SCRIPT_EXITCODE="$((128 + number))"
    fi
    # The started message must not be overtaken, nor killed below.
    cylc__job__wait_cylc_message_started
    if "${real_signal}"; then
        # Pass the signal on to the whole process group if the job leads
        # one, else to the user's scripting. (Cylc does this only once the
        # user's scripting has a PID, which can leave it running.)
        kill -s "${signal}" -- "-$$" 2>/dev/null ||
            { [[ -n "${CYLC_TASK_USER_SCRIPT_PID:-}" ]] &&
                kill -s "${signal}" -- "${CYLC_TASK_USER_SCRIPT_PID}" 2>/dev/null; } || true
    fi
    typeset sender=
    gyre__job__status_file
    if ! grep -q '^CYLC_JOB_EXIT=' "${GYRE_STATUS_FILE}" 2>/dev/null; then
        typeset message=
        for message in "$@"; do
            gyre__job__record "${message}"
        done
        cylc message -- "${CYLC_WORKFLOW_ID}" "${CYLC_TASK_JOB}" "$@" &
        sender=$!
    fi
    if "${run_err_script}"; then
        cylc__job__run_inst_func 'err_script' "${signal}" >&2
    fi
    if [[ -n "${sender}" ]]; then
        wait "${sender}" || true
    fi
    exit "${CYLC_TASK_USER_SCRIPT_EXITCODE}"
}

# Abort the job with a message of the user's, e.g.
#   cylc__job_abort "input file missing"
# The job fails with CYLC_JOB_EXIT="<message>" and exit code 1.
cylc__job_abort() {
    CYLC_TASK_USER_SCRIPT_EXITCODE="1"
    cylc__job_finish_err 'EXIT' false "CRITICAL: aborted/\"${1}\""
}

# Trap for a vacation signal: the batch system will requeue the job.
cylc__job_vacation() {
    cylc__job_finish_err "${1}" false "WARNING: vacated/${1}"
}

# Trap for a failure signal (or ERR, or EXIT).
cylc__job_err() {
    cylc__job_finish_err "${1}" true "CRITICAL: failed/${1}"
}

# The scripting of a dummy-mode job: succeed, or fail at the given cycle
# points ("all" for every point), optionally on the first try only.
# Arguments: FAIL_TRY_1_ONLY(true|false) [all | POINT...]
cylc__job__dummy_result() {
    typeset fail_try_1_only="$1"
    shift
    typeset fail_cycle_points="$*" fail_this_point=false point=
    if [[ "${fail_cycle_points}" == *all* ]]; then
        fail_this_point=true
    elif [[ "${CYLC_CYCLING_MODE}" == 'integer' ]]; then
        for point in ${fail_cycle_points}; do
            if ((CYLC_TASK_CYCLE_POINT == point)); then
                fail_this_point=true
                break
            fi
        done
    else
        for point in ${fail_cycle_points}; do
            if cylc cyclepoint --equal="${point}"; then
                fail_this_point=true
                break
            fi
        done
    fi
    if ! "${fail_this_point}" ||
        ("${fail_try_1_only}" && ((CYLC_TASK_TRY_NUMBER > 1))); then
        echo "(dummy job succeed)"
        return 0
    fi
    >&2 echo "(dummy job fail)"
    return 1
}
