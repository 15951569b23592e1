# Shared by the fake batch commands in this directory, which stand in for
# Slurm, PBS and LSF in Gyre's runner tests. They keep their queue in
# $FAKEBATCH_SPOOL (jobs/<ID>/: name, script, pid once started, cancelled
# once killed), start each job for real in a session of its own, and print
# what the real commands print. A job is running while its PID is alive.
#
# Every call is logged to $FAKEBATCH_SPOOL/calls as "NAME ARGS... [cwd=DIR]"
# (bsub also keeps its standard input as the job's script).
#
# Tests steer them through the environment:
#   FAKEBATCH_FAIL_<NAME>=MESSAGE    print MESSAGE (printf %b) on standard
#                                    error and exit ${FAKEBATCH_FAIL_CODE:-1}
#   FAKEBATCH_GARBAGE_<NAME>=TEXT    print TEXT on standard output, exit 0
#   FAKEBATCH_HOLD=1                 queue a submitted job but never start it
#   FAKEBATCH_HETJOB=1               squeue lists each job as two components
# where NAME is the command's name in capitals (SBATCH, QSTAT, ...).
#
# They need bash, and setsid (with --fork) and flock from util-linux.

set -u
spool=${FAKEBATCH_SPOOL:?FAKEBATCH_SPOOL is not set}
me=${0##*/}
mkdir -p "$spool/jobs"

call="$me"
for arg in "$@"; do call+=" $arg"; done
printf '%s [cwd=%s]\n' "$call" "$PWD" >>"$spool/calls"

fail=FAKEBATCH_FAIL_${me^^}
if [[ -n ${!fail:-} ]]; then
    printf '%b\n' "${!fail}" >&2
    exit "${FAKEBATCH_FAIL_CODE:-1}"
fi
garbage=FAKEBATCH_GARBAGE_${me^^}
if [[ -n ${!garbage:-} ]]; then
    printf '%b\n' "${!garbage}"
    exit 0
fi

# new_id prints the next job ID.
new_id() {
    local n
    {
        flock 9
        n=$(($(cat "$spool/next" 2>/dev/null || echo 1000) + 1))
        echo "$n" >"$spool/next"
    } 9>>"$spool/lock"
    echo "$n"
}

# directive PREFIX NAME FILE prints the value of the first header line
# "PREFIX NAME=VALUE" or "PREFIX NAME VALUE" of FILE.
directive() {
    local line
    while IFS= read -r line; do
        case $line in
        "$1 $2="*) printf '%s\n' "${line#"$1 $2="}"; return ;;
        "$1 $2 "*) printf '%s\n' "${line#"$1 $2 "}"; return ;;
        esac
    done <"$3"
}

# submit_job ID SCRIPT OUT ERR NAME queues a job and, unless FAKEBATCH_HOLD
# is set, starts it: "bash SCRIPT" in a new session, in this directory, with
# this environment. setsid runs in the foreground and forks, so the job does
# not start with SIGINT ignored, as a job started with & would; the job
# hands its PID back through a FIFO, so it is known before this returns.
submit_job() {
    local dir="$spool/jobs/$1" pid
    mkdir -p "$dir"
    printf '%s\n' "$5" >"$dir/name"
    printf '%s\n' "$2" >"$dir/script"
    [[ -n ${FAKEBATCH_HOLD:-} ]] && return
    mkfifo "$dir/fifo"
    setsid -f bash -c 'echo $$ >"$1"; exec bash "$2" >"$3" 2>"$4" </dev/null' \
        fakejob "$dir/fifo" "$2" "$3" "$4" </dev/null >/dev/null 2>&1
    read -r pid <"$dir/fifo"
    rm -f "$dir/fifo"
    echo "$pid" >"$dir/pid"
}

# alive PID: whether the process runs (a zombie has ended).
alive() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# job_state ID prints unknown, pending, running, cancelled or finished.
job_state() {
    local dir="$spool/jobs/$1" pid
    if [[ ! $1 =~ ^[0-9]+$ || ! -d $dir ]]; then
        echo unknown
    elif [[ ! -f $dir/pid ]]; then
        [[ -f $dir/cancelled ]] && echo cancelled || echo pending
    else
        read -r pid <"$dir/pid"
        if alive "$pid"; then
            echo running
        elif [[ -f $dir/cancelled ]]; then
            echo cancelled
        else
            echo finished
        fi
    fi
}

# signal_job ID SIGNAL takes a pending job off the queue, or sends a
# running job's script SIGNAL (as Slurm signals the batch script).
signal_job() {
    local dir="$spool/jobs/$1" pid
    touch "$dir/cancelled"
    [[ -f $dir/pid ]] || return 0
    read -r pid <"$dir/pid"
    kill "-$2" "$pid" 2>/dev/null || true
}

# job_name ID prints the job's name.
job_name() {
    cat "$spool/jobs/$1/name"
}
