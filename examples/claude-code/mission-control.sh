#!/usr/bin/env bash
# A Claude Code PreToolUse hook for Bash: asks Mission Control before the command runs.
# Fails closed: anything but an approval (a deny, an expiry, no mc, bad input, the hub down)
# exits 2 with the reason on stderr, which Claude Code blocks on and shows to the model.
set -uo pipefail

block() {
  echo "Mission Control: $*" >&2
  exit 2
}

command -v mc >/dev/null 2>&1 || block "mc is not on PATH: run 'npm link' in the mission-control checkout, or set PATH for the hook"
command -v jq >/dev/null 2>&1 || block "jq is not on PATH; the hook needs it to read its input"

input=$(cat) || block "could not read the hook's input on stdin"
# A non-empty string field, or a failure (jq -e alone succeeds on empty input, printing nothing).
field() {
  local value
  value=$(jq -er "$1 | strings" <<<"$input" 2>/dev/null) && [[ -n $value ]] && printf '%s' "$value"
}
session=$(field .session_id) || block "the hook's stdin is not Claude Code hook JSON with a session_id"
cwd=$(field .cwd) || block "the hook's stdin has no cwd"
cmd=$(field .tool_input.command) || block "the hook's stdin has no tool_input.command"

title="Run in ${cwd##*/}: ${cmd}"
context="Claude Code session ${session} in ${cwd} wants to run:

${cmd:0:15000}"

# mc prints the outcome (and any error) on stderr here, so Claude Code shows it as the reason.
mc decide --title "${title:0:190}" --context "$context" --risk high --timeout 600 >&2
case $? in
  0) exit 0 ;;
  1) block "the command was denied (or the decision withdrawn)" ;;
  2) block "nobody answered before the deadline, so the command is blocked" ;;
  *) block "could not get an answer (the line above says why), so the command is blocked" ;;
esac
