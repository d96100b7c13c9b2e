"""Processes a test run started and left running: new since BEFORE (a file of PIDs), not part of
the calling script's own process tree, and one of the programs the tests start. Waits up to 30 s
for them to end (watchdogs stop embedded servers a few seconds after their service); prints and
exits 1 if any remain.

    python3 scripts/lib/leftovers.py BEFORE_FILE SCRIPT_PID
"""
import os
import re
import sys
import time

PROGRAMS = re.compile(r"(^|/)(java|postgres|postmaster|mariadbd|mysqld|pg_dump|pg_restore|psql|mariadb-dump|mysqldump|"
                      r"mariadb|mysql|pigz|gzip|age|chromium|chromedriver|node|heroku)( |$)|autobus-verify-watchdog|s3proxy")


def processes():
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                ppid = stat.read().rsplit(")", 1)[1].split()[1]
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found[pid] = (ppid, command)
    return found


def left_over(before, script):
    current = processes()
    ours = {script, str(os.getpid())}
    grown = True
    while grown:
        grown = False
        for pid, (ppid, _) in current.items():
            if ppid in ours and pid not in ours:
                ours.add(pid)
                grown = True
    return {pid: command for pid, (_, command) in current.items()
            if pid not in before and pid not in ours and PROGRAMS.search(command)}


def main():
    with open(sys.argv[1]) as file:
        before = set(file.read().split())
    script = sys.argv[2]
    left = {}
    for _ in range(30):
        left = left_over(before, script)
        if not left:
            return 0
        time.sleep(1)
    print("still running after the tests (started by them):")
    for pid, command in sorted(left.items(), key=lambda item: int(item[0])):
        print(f"  {pid} {command[:200]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
