import type { Command, Option } from "commander";

/**
 * Shell completion scripts generated from the commander tree itself, so they never drift from
 * the commands. Both shells share the same data functions (plain `case` statements).
 */

interface Node {
  path: string;
  subs: { name: string; aliases: string[] }[];
  flags: string[];
  valued: string[];
  choices: { flag: string; values: string[] }[];
}

const flagsOf = (o: Option): string[] => [o.short, o.long].filter((f): f is string => typeof f === "string");

const walk = (cmd: Command, path: string, globals: readonly Option[], out: Node[]): void => {
  const options = [...cmd.options, ...globals];
  out.push({
    path,
    subs: cmd.commands.map((c) => ({ name: c.name(), aliases: c.aliases() })),
    flags: [...options.flatMap(flagsOf), "--help"],
    valued: options.filter((o) => o.required || o.optional).flatMap(flagsOf),
    choices: options
      .filter((o) => Array.isArray(o.argChoices))
      .flatMap((o) => flagsOf(o).map((flag) => ({ flag, values: o.argChoices ?? [] }))),
  });
  for (const c of cmd.commands) walk(c, path ? `${path} ${c.name()}` : c.name(), globals, out);
};

const q = (s: string): string => `"${s}"`;

const dataFunctions = (program: Command): string => {
  const nodes: Node[] = [];
  walk(program, "", program.options, nodes);
  const words = nodes.map(
    (n) => `    ${q(n.path)}) echo ${q([...n.subs.map((s) => s.name), ...n.flags].join(" "))} ;;`,
  );
  const canon = nodes.flatMap((n) =>
    n.subs.map(
      (s) => `    ${[s.name, ...s.aliases].map((a) => q(`${n.path}|${a}`)).join("|")}) echo ${q(s.name)} ;;`,
    ),
  );
  const valued = nodes
    .filter((n) => n.valued.length > 0)
    .map((n) => `    ${q(n.path)}) echo ${q(n.valued.join(" "))} ;;`);
  const choices = nodes.flatMap((n) =>
    n.choices.map((c) => `    ${q(`${n.path}|${c.flag}`)}) echo ${q(c.values.join(" "))} ;;`),
  );
  const fn = (name: string, subject: string, cases: string[]) =>
    `_keyplane_${name}() {\n  case ${subject} in\n${cases.join("\n")}\n  esac\n}`;
  return [
    fn("words", '"$1"', words),
    fn("sub", '"$1|$2"', canon),
    fn("valued", '"$1"', valued),
    fn("choices", '"$1|$2"', choices),
  ].join("\n\n");
};

/** Walks the words typed so far: subcommands extend the path, valued flags swallow the next word. */
const walker = (
  first: string,
  last: string,
  word: string,
): string => `  local kp_path="" kp_skip=0 kp_w kp_i kp_next
  for ((kp_i = ${first}; kp_i < ${last}; kp_i++)); do
    kp_w="${word}"
    if ((kp_skip)); then kp_skip=0; continue; fi
    case "$kp_w" in
      -*) case " $(_keyplane_valued "$kp_path") " in *" $kp_w "*) kp_skip=1 ;; esac ;;
      *) kp_next="$(_keyplane_sub "$kp_path" "$kp_w")"; [ -n "$kp_next" ] && kp_path="\${kp_path:+$kp_path }$kp_next" ;;
    esac
  done`;

// biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
const BASH_WORD = "${COMP_WORDS[kp_i]}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
const ZSH_WORD = "${words[kp_i]}";

export const bashCompletion = (program: Command): string => `# keyplane completion for bash.
# Load now:     source <(keyplane completion bash)
# Load always:  keyplane completion bash > ~/.local/share/bash-completion/completions/keyplane
${dataFunctions(program)}

_keyplane() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
${walker("1", "COMP_CWORD", BASH_WORD)}
  if ((kp_skip)); then
    COMPREPLY=($(compgen -W "$(_keyplane_choices "$kp_path" "$prev")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_keyplane_words "$kp_path")" -- "$cur"))
  fi
}
complete -o default -F _keyplane keyplane
`;

export const zshCompletion = (program: Command): string => `#compdef keyplane
# keyplane completion for zsh.
# Load now:     source <(keyplane completion zsh)
# Load always:  keyplane completion zsh > "\${fpath[1]}/_keyplane"   (then restart zsh)
${dataFunctions(program)}

_keyplane() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
${walker("2", "CURRENT", ZSH_WORD)}
  local -a kp_candidates
  if ((kp_skip)); then
    kp_candidates=(\${=$(_keyplane_choices "$kp_path" "$prev")})
    (( \${#kp_candidates} )) || { _files; return }
  else
    kp_candidates=(\${=$(_keyplane_words "$kp_path")})
  fi
  compadd -- $kp_candidates
}

if [ "$funcstack[1]" = "_keyplane" ]; then
  _keyplane "$@"
else
  compdef _keyplane keyplane
fi
`;
