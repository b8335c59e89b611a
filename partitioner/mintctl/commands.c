// SPDX-License-Identifier: GPL-2.0
/*
 * mintctl's command table: each verb's synopsis, description and options.
 * Dispatch, getopt_long, --help, the man page, the "did you mean" hints
 * and the bash completion (mintctl __complete) are all generated from it.
 */
#include "mintctl.h"
#include "node.h" /* NODE_OPT_KERNEL .. NODE_OPT_SAVE_IMAGE */

/* The options of several node commands. */
static const char config_doc[] =
	"Read the nodes from FILE instead of " CLI_DEFAULT_CONFIG ".";
static const char quiet_doc[] = "Print only errors, not what is being done.";

/* The one-off image of start and load. */
static const char kernel_doc[] =
	"Boot this bzImage instead of the config's kernel, this time only "
	"(the config stays as it is). Checked as the pre-flight check of "
	"'mintctl check' checks the config's: a 64-bit relocatable bzImage "
	"(exit 2 when it is not, or is not there).";
static const char initrd_doc[] =
	"Boot this initramfs (cpio, gzip, zstd, xz or lz4) instead of the "
	"config's initrd, this time only (exit 2 when it is not one).";
static const char cmdline_doc[] =
	"Use TEXT instead of the config's cmdline (the arguments after "
	"those mintctl gives every node), this time only; empty for none.";

static const struct cli_opt check_opts[] = {
	CLI_SWITCH(OPT_SYSTEM, "system",
		   "Also check CONFIG against the running machine: node "
		   "CPUs present; node RAM and low-memory slices usable RAM "
		   "in the firmware memory map (/sys/firmware/memmap: "
		   "System RAM, not reserved, ACPI, PCI ECAM or a hole) and "
		   "inside Reserved entries of /proc/iomem (node0 booted "
		   "with 'mintctl bootargs CONFIG'); PCI devices present; "
		   "node0's VMs fitting the CPUs node0 keeps. Needs root to "
		   "read /proc/iomem."),
	CLI_SWITCH(OPT_PREFLIGHT, "preflight",
		   "Check CONFIG against this machine while it still runs "
		   "the kernel it had before mint, before the first reboot "
		   "into mint: node RAM and low-memory slices usable RAM in "
		   "the firmware memory map (not reserved, ACPI, PCI ECAM "
		   "or a hole), node CPUs and PCI devices present, node0's "
		   "VMs fitting the CPUs node0 keeps, and the files in "
		   "node0's filesystem (read below the sysroot): each node "
		   "kernel a 64-bit relocatable bzImage, node0's VM kernels "
		   "bzImages, each initrd an initramfs (cpio, gzip, zstd, "
		   "xz or lz4), each disk of node0's VMs a block device or "
		   "a regular file. Warns when devices are given to nodes "
		   "and /sys/class/iommu shows no IOMMU. Standard output is "
		   "the report: the warnings, then what only holds after "
		   "the reboot (RAM and low slices reserved by node0's "
		   "bootargs, CPUs taken offline by 'mintctl start', the "
		   "files of a node's VMs, in the node's own filesystem), "
		   "which 'mintctl check --system' checks then. The "
		   "problems come as errors on standard error and exit 3. "
		   "Root is not needed."),
	CLI_OPT_END
};

static const struct cli_opt show_opts[] = {
	CLI_SWITCH(OPT_JSON, "json",
		   "Print a JSON document instead of config text; errors "
		   "come as JSON lines on standard error (DIAGNOSTICS in "
		   "the manual)."),
	CLI_SWITCH(OPT_VMS, "vms",
		   "With NODE: its VMs, one per line, as shell assignments."),
	CLI_SWITCH(OPT_LINK, "link",
		   "With NODE: its link, as one line of KEY=VALUE pairs "
		   "separated by blanks, for the node's init: ifname=mint0 "
		   "(the node's device), address=A.B.C.D/PREFIX (its "
		   "address; left out when the config gives none), "
		   "node0=A.B.C.D (node0's address on the links, without "
		   "the prefix; left out when [partition] has none). "
		   "Nothing, and exit 0, for a node without a link. For "
		   "node0: ifname=mintbr0 and [partition]'s address, when "
		   "node0 has the bridge of the links."),
	CLI_OPT_END
};

static const struct cli_opt bootargs_opts[] = {
	CLI_WORDS(OPT_FORMAT, "format", "FORMAT", cli_bootargs_formats,
		  "plain (the default): for QEMU -append or an exec "
		  "argument, no quoting. grub: every '$' written as '\\$', "
		  "for a linux line in grub.cfg. shell: one single-quoted "
		  "word to paste into a shell command."),
	CLI_OPT_END
};

static const struct cli_opt start_opts[] = {
	CLI_SWITCH('a', "all", "Start every node whose autostart is yes."),
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE", config_doc),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Give up when a node is not running after SECONDS "
		  "(default 60; 0 waits forever)."),
	CLI_VALUE(NODE_OPT_KERNEL, "kernel", CLI_ARG_FILE, "PATH", kernel_doc),
	CLI_VALUE(NODE_OPT_INITRD, "initrd", CLI_ARG_FILE, "PATH", initrd_doc),
	CLI_VALUE(NODE_OPT_CMDLINE, "cmdline", CLI_ARG_TEXT, "TEXT",
		  cmdline_doc),
	CLI_SWITCH(NODE_OPT_TIMING, "timing",
		   "Once a node's start has ended (running, failed or timed "
		   "out), print its start timeline on standard output: the "
		   "line 'NODE: start timeline (ms from 'mintctl start')', "
		   "then a table of every phase, mintctl's own two (mintctl: "
		   "its start of the node began; files: kernel and initrd "
		   "read, the image composed) and the fourteen node0's "
		   "kernel, the start trampoline, the node kernel and its "
		   "user space stamp with the TSC "
		   "(/sys/kernel/mint/NODE/timeline), with the columns "
		   "PHASE, AT MS (from the first phase stamped), TOOK MS "
		   "(since the phase reached before it) and WHAT; '-' for a "
		   "phase not reached, '(before the phase above)' after a "
		   "stamp earlier than the one before it. A node started "
		   "with the image 'mintctl load' loaded has the load's "
		   "stamps of mintctl; without mintctl's stamps the times "
		   "count from node0's 'load'. A warning instead when "
		   "node0's kernel has no timeline of the node."),
	CLI_OPT_END
};

/* no --all (a load is for a start by hand), no --timeout */
static const struct cli_opt load_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE", config_doc),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE(NODE_OPT_KERNEL, "kernel", CLI_ARG_FILE, "PATH", kernel_doc),
	CLI_VALUE(NODE_OPT_INITRD, "initrd", CLI_ARG_FILE, "PATH", initrd_doc),
	CLI_VALUE(NODE_OPT_CMDLINE, "cmdline", CLI_ARG_TEXT, "TEXT",
		  cmdline_doc),
	CLI_VALUE(NODE_OPT_SAVE_IMAGE, "save-image", CLI_ARG_DIR, "DIR",
		  "Load nothing: compose the image this load would load, "
		  "from the same files and options with the same checks of "
		  "them, and write it to DIR (created if missing) for tests "
		  "of node0's kernel: DIR/image.txt with the lines 'entry "
		  "0x...', 'flags 0x...' (what kexec_load(2) would get), "
		  "'node_id N' and one 'segment I mem=0x... memsz=0x... "
		  "bufsz=0x... file=segI.bin' per segment, and each "
		  "segment's buffer as DIR/segI.bin. One NODE, which "
		  "node0's kernel must have defined (the image holds its "
		  "APIC IDs; exit 4 when it has not). Nothing of the node "
		  "changes: not its definition, state or devices, nor the "
		  "record of its image."),
	CLI_OPT_END
};

static const struct cli_opt stop_opts[] = {
	CLI_SWITCH('a', "all",
		   "Stop every node that is starting, booting, running, "
		   "halted, panic, hung or failed."),
	CLI_SWITCH('f', "force",
		   "Do not ask the node to shut down: node0's kernel sends "
		   "INIT to every CPU of the node at once."),
	CLI_SWITCH('q', "quiet", quiet_doc), CLI_OPT_END
};

static const struct cli_opt restart_opts[] = {
	CLI_SWITCH('a', "all",
		   "Restart every node that is starting, booting, running, "
		   "halted, panic, hung or failed."),
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE", config_doc),
	CLI_SWITCH('f', "force", "Stop as 'mintctl stop --force' does."),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Give up when a node is not running SECONDS after its "
		  "start (default 60; 0 waits forever). The stop before it "
		  "is bounded by node0's kernel (60 s)."),
	CLI_OPT_END
};

static const struct cli_opt release_opts[] = {
	CLI_SWITCH('a', "all",
		   "Release every stopped node, and every offline or loaded "
		   "node whose CPUs are not online in node0 (a restart "
		   "whose load failed leaves a node so)."),
	CLI_SWITCH('q', "quiet", quiet_doc), CLI_OPT_END
};

static const struct cli_opt status_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE",
		  "Take the nodes node0's kernel has not defined from FILE, "
		  "which must then be valid. Without this "
		  "option " CLI_DEFAULT_CONFIG
		  " is used when it exists and is valid, and skipped with a "
		  "warning when it is invalid."),
	CLI_SWITCH(OPT_JSON, "json",
		   "Print {\"nodes\": [...]} instead of a table, node0 "
		   "first, each node with name, id, defined, state, cpus (a "
		   "list of numbers), cpulist, apic_ids, memory (a list of "
		   "{base, size} in bytes), heartbeat, heartbeat_age_ms, "
		   "panic_msg, vms (a list of {name, state, detail} as the "
		   "node's VM supervisor reported them) and vms_age_s "
		   "(node0: seconds since its supervisor's last report), "
		   "image ({kernel, kernel_sha256, initrd, initrd_sha256, "
		   "cmdline, oneoff, config}: what the node is loaded with "
		   "or runs), timeline ({tsc_khz, origin, phases: a list of "
		   "{phase, tsc, ms}}: its start timeline, the phases "
		   "'mintctl start' times, ms from origin, the first phase "
		   "stamped; null when node0's kernel has none, it is "
		   "malformed or nothing is stamped), link ({address, "
		   "ifname, state, rx_packets, tx_packets, rx_dropped, "
		   "tx_dropped}: null for a node without a link); null "
		   "where there is no value. Errors come as "
		   "JSON lines on standard error (DIAGNOSTICS in the "
		   "manual)."),
	CLI_SWITCH('q', "quiet",
		   "Print nothing on standard output; the exit status tells "
		   "(a health check). Errors are still printed."),
	CLI_OPT_END
};

static const struct cli_opt audit_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE",
		  "Compare with FILE instead of " CLI_DEFAULT_CONFIG "."),
	CLI_SWITCH(OPT_JSON, "json",
		   "Print {\"findings\": [{node, check, ok, detail}...], "
		   "\"mismatches\": N} instead; errors as JSON lines on "
		   "standard error."),
	CLI_OPT_END
};

static const struct cli_opt list_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE",
		  "Take the nodes node0's kernel has not defined from FILE, "
		  "as status does."),
	CLI_SWITCH(OPT_JSON, "json",
		   "Print {\"nodes\": [...]} instead, each node with name, "
		   "state (offline for a node node0's kernel has not "
		   "defined) and defined; errors as JSON lines on standard "
		   "error."),
	CLI_OPT_END
};

static const struct cli_opt console_opts[] = {
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Without a terminal: how long to print output (default 5)."),
	CLI_VALUE('u', "until", CLI_ARG_TEXT, "TEXT",
		  "Stop as soon as the output shows TEXT (at most 255 "
		  "characters); exit 1 if it did not within SECONDS. "
		  "Scripts run commands in a node this way."),
	CLI_OPT_END
};

static const struct cli_opt log_opts[] = {
	CLI_SWITCH('f', "follow",
		   "Keep printing new messages until interrupted."),
	CLI_OPT_END
};

static const struct cli_opt wait_opts[] = {
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Give up after SECONDS (default 60; 0 waits forever), "
		  "print the last state and exit 1."),
	CLI_OPT_END
};

static const struct cli_opt vm_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE",
		  "Read the VMs from FILE instead of " CLI_DEFAULT_CONFIG
		  " (start, stop and restart check that VM is a VM of NODE)."),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Give up when the VM is not in the wanted state after "
		  "SECONDS (default 60; 0 waits forever)."),
	CLI_OPT_END
};

static const struct cli_opt migrate_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE",
		  "Read the VMs and nodes from FILE instead "
		  "of " CLI_DEFAULT_CONFIG "."),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Cancel the migration when it is not done after SECONDS "
		  "(default 600; 0 waits forever)."),
	CLI_OPT_END
};

static const struct cli_opt update_opts[] = {
	CLI_VALUE('c', "config", CLI_ARG_FILE, "FILE", config_doc),
	CLI_SWITCH('n', "dry-run",
		   "Print the plan (which VM goes where, the image) and change "
		   "nothing."),
	CLI_SWITCH('q', "quiet", quiet_doc),
	CLI_VALUE('t', "timeout", CLI_ARG_NUMBER, "SECONDS",
		  "Give up when the node is not running SECONDS after its "
		  "start (default 60; then it is started on the config's "
		  "image); a VM's move may take ten times as long."),
	CLI_VALUE(NODE_OPT_KERNEL, "kernel", CLI_ARG_FILE, "PATH", kernel_doc),
	CLI_VALUE(NODE_OPT_INITRD, "initrd", CLI_ARG_FILE, "PATH", initrd_doc),
	CLI_VALUE(NODE_OPT_CMDLINE, "cmdline", CLI_ARG_TEXT, "TEXT",
		  cmdline_doc),
	CLI_OPT_END
};

const struct cli_opt cli_global_opts[] = {
	CLI_VALUE(OPT_SYSROOT, "sysroot", CLI_ARG_DIR, "DIR",
		  "Read /proc, /sys and /run below DIR instead of /, and "
		  "write /sys/kernel/mint there (for tests against a fake "
		  "tree; MINT_SYSROOT does the same). DIR may also be the "
		  "next argument."),
	CLI_SWITCH('h', "help",
		   "Show this help; 'mintctl COMMAND --help' shows the "
		   "options of a command."),
	CLI_SWITCH(OPT_VERSION, "version", "Print mintctl's version."),
	CLI_SWITCH(OPT_MAN, "man", "Print the manual page (troff)."),
	CLI_OPT_END
};

const struct cli_cmd cli_cmds[] = {
	{ "check", "[--system | --preflight] CONFIG",
	  "validate a partition config",
	  "Parse and validate CONFIG (a file, or - for standard input) and "
	  "print every error found, sorted by line, as\n"
	  "FILE:LINE: node 'NAME': KEY: what is wrong; what to do\n"
	  "\n"
	  "Prints nothing and exits 0 when CONFIG is valid; exits 3 when it "
	  "is not, 5 when --system or --preflight cannot read the machine. "
	  "The format is described in docs/config.md.",
	  check_opts, cmd_check, NULL },
	{ "show", "[--json | --vms | --link] CONFIG [NODE]",
	  "print the resolved config",
	  "Print CONFIG with every default filled in, as config text that "
	  "mintctl reads back, or as JSON; the keys whose default is none "
	  "(devices, initrd, cmdline, disk, link, address, authorized_keys) "
	  "are left out of the text when not given, and null (devices: []) "
	  "in JSON. With NODE, print only "
	  "that node "
	  "and its VMs (node0 selects the VMs that node0 runs). With --vms "
	  "and NODE, print the VMs of NODE one per line as shell assignments "
	  "(what the VM supervisor inside a node reads): name, vcpus, "
	  "memory, kernel, initrd, disk, cpu_model, cmdline, autostart, "
	  "restart, avoid_cpus, net ('mint' or 'none') and address ('' "
	  "when none). With --link and NODE, print the node's link for its "
	  "init. Exits 3 when CONFIG is invalid.",
	  show_opts, cmd_show, NULL },
	{ "bootargs", "[--format=plain|grub|shell] CONFIG",
	  "print node0's kernel command-line fragment",
	  "Print the arguments node0 must boot with so that the nodes of "
	  "CONFIG can run: one memmap=SIZE$BASE per node RAM range and per "
	  "link, nodes in file order (each node's ranges, then its link), "
	  "the low-memory reservation memmap=SIZE$0x10000 (64K for "
	  "node0's trampoline plus 64K per node), and no_ipi_broadcast=1.",
	  bootargs_opts, cmd_bootargs, NULL },
	{ "load",
	  "[--config=FILE] [--quiet] [--kernel=PATH] [--initrd=PATH] "
	  "[--cmdline=TEXT] [--save-image=DIR] NODE...",
	  "load nodes' images without starting them",
	  "Do what 'mintctl start' does up to the start: define each NODE "
	  "unless node0's kernel has, load its kernel, initrd and boot "
	  "parameters (the config's, or those of the options) into its RAM, "
	  "and leave it in state loaded. 'mintctl start NODE' then starts "
	  "that image without loading it again, unless it is given "
	  "--kernel, --initrd or --cmdline. A NODE that is starting, "
	  "booting, running, halted, panic, hung or failed must be stopped "
	  "first "
	  "(exit 4); one that is loaded already is loaded anew.",
	  load_opts, cmd_load, NULL },
	{ "start",
	  "[--config=FILE] [--quiet] [--timeout=SECONDS] [--kernel=PATH] "
	  "[--initrd=PATH] [--cmdline=TEXT] [--timing] (--all | NODE...)",
	  "boot nodes",
	  "Start each NODE of the config: define it in node0's kernel (its "
	  "id, CPUs, RAM, iommu and link) unless it is defined, load its "
	  "kernel, "
	  "initrd and boot parameters into its RAM with kexec_load(2), "
	  "start it on its first CPU and wait until node0's kernel reports "
	  "it running. A NODE that 'mintctl load' left loaded starts with "
	  "the image loaded then, without loading again (it says so). A "
	  "NODE that node0's kernel defined with another id, CPUs, RAM, "
	  "iommu or link than the config now says is defined anew when it "
	  "holds "
	  "nothing (offline, or loaded); otherwise stop and release it "
	  "first (exit 4). Node0 confines the NODE's devices to its RAM "
	  "with the IOMMU from the start to the release (iommu = off: "
	  "not).\n"
	  "\n"
	  "A NODE with a link: before its image is loaded, node0's device "
	  "of the link (named on the 'ifname' line of "
	  "/sys/kernel/mint/NODE/link) is put into the bridge mintbr0, "
	  "which is created when missing, both at MTU 65280 and up, and "
	  "the config's [partition] address is added to mintbr0 when it is "
	  "not there; a second start, or a restart, finds it done. A "
	  "failure stops the start (exit 1) with the step and the device "
	  "named. Under --sysroot other than / nothing is changed: it says "
	  "what it would do.\n"
	  "\n"
	  "--kernel, --initrd and --cmdline boot this start with another "
	  "image, once: the config stays as it is, and the next start "
	  "without them boots the config's image again. What a node was "
	  "loaded with (paths, their SHA-256, the command line) is kept in "
	  "/run/mint/nodes/NODE.image until it is stopped or released, and "
	  "'mintctl status' shows it.\n"
	  "\n"
	  "A node that is starting, booting, running, halted, panic, hung or "
	  "failed "
	  "must be stopped first (exit 4). A node that does not reach "
	  "running keeps its CPUs: see 'mintctl status', then stop and "
	  "release it.",
	  start_opts, cmd_start, NULL },
	{ "stop", "[--force] [--quiet] (--all | NODE...)", "stop nodes",
	  "Stop each NODE. A running node is asked to shut down, and node0's "
	  "kernel waits until the node has halted, at most 60 s; past that "
	  "the stop fails (exit 1) and 'mintctl stop --force' is the way on. "
	  "A node that is starting, booting, halted, panic, hung or failed is "
	  "stopped at once, as with --force.\n"
	  "\n"
	  "A stopped node keeps its CPUs (not online in node0) and RAM until "
	  "'mintctl release'. A node that is stopped already is left so "
	  "(exit 0); one that is offline or loaded was not started (exit "
	  "4).",
	  stop_opts, cmd_stop, NULL },
	{ "restart",
	  "[--config=FILE] [--force] [--quiet] [--timeout=SECONDS] "
	  "(--all | NODE...)",
	  "stop and start nodes again",
	  "Stop each NODE if it is starting, booting, running, halted, panic "
	  "or hung (as 'mintctl stop'), then start it from the config (as "
	  "'mintctl start'): every start loads the node's image afresh. A "
	  "NODE that is not in the config is left as it is (exit 3).",
	  restart_opts, cmd_restart, NULL },
	{ "release", "[--quiet] (--all | NODE...)",
	  "hand a stopped node's CPUs to node0",
	  "Give the CPUs of each stopped NODE back to node0, which brings "
	  "them online; the node's state becomes offline. Its RAM stays held "
	  "back, and 'mintctl start' takes the CPUs again. Its PCI functions "
	  "go back to node0's drivers. A node that is starting, booting, "
	  "running, halted, panic, hung or failed must be stopped first "
	  "(exit 4). A node whose CPUs are node0's already gives back only "
	  "the PCI functions 'mintctl load' (or a load that failed) took for "
	  "it, and so does a NODE no longer defined in node0's kernel "
	  "(undefined behind mintctl's back); its loaded image stays, and "
	  "'mintctl start' takes the functions again before it starts it. "
	  "With no such function either, there is nothing to release "
	  "(exit 4).",
	  release_opts, cmd_release, NULL },
	{ "status", "[--config=FILE] [--json | --quiet] [NODE...]",
	  "show the state of nodes; exit 3 if a started one failed",
	  "Print a table of node0 (state running, its online CPUs), every "
	  "node node0's kernel has defined, and the nodes of the config it "
	  "has not defined (state 'offline (not defined)'), by node id. "
	  "Columns: NODE; STATE as node0's kernel reports it: offline, "
	  "loaded, starting, booting, running, halted, panic, hung, "
	  "stopped or failed (node0 gave up on it: it missed its boot "
	  "deadline or did not confirm a stop; it keeps its CPUs until a "
	  "forced stop confirms them); CPUS; MEMORY, SIZE@BASE per range; "
	  "HEARTBEAT, the time "
	  "since the node's heartbeat last changed (- when it is not "
	  "started). The message of a node in panic follows the table.\n"
	  "\n"
	  "With NODE, only those nodes (node0 too); a NODE that node0's "
	  "kernel has not defined is an error (exit 4) once the others are "
	  "printed.\n"
	  "\n"
	  "A health check, as 'systemctl status' of a unit: exits 3 when a "
	  "node shown should run and does not, that is, it was started and "
	  "not stopped, and is now halted, panic, hung or failed. A node that "
	  "is "
	  "starting or booting is on its way ('mintctl start' fails when it "
	  "does not reach running); an offline or loaded node was not "
	  "started, and a stopped one was stopped on purpose. Exit 4 for a "
	  "NODE that is not defined comes before 3.\n"
	  "\n"
	  "Under a NODE named that is loaded or was started (up to its stop "
	  "or release), and under any node whose image is one-off, the "
	  "image it was loaded with by 'mintctl start' or "
	  "'mintctl load': kernel and initrd with their SHA-256, the whole "
	  "command line it boots with, and 'one-off' when options of start "
	  "or load chose them rather than the config; then 'start: X.XX s "
	  "from 'mintctl start' to running' when the node's timeline has "
	  "both stamps (see start --timing).\n"
	  "\n"
	  "Under a node that mint-autostart does not start at boot because "
	  "its start at an earlier boot never finished: 'autostart "
	  "blocked:' and why (from /var/lib/mint/autostart-blocked/NODE; "
	  "'mint-autostart clear NODE' lifts it). With --json: "
	  "\"autostart_blocked\" (null when not blocked), \"image\" and "
	  "\"timeline\".\n"
	  "\n"
	  "Under a node with a link (node0: when it has the bridge "
	  "mintbr0): 'link: STATE ADDRESS on IFNAME, rx N tx N packets, "
	  "dropped rx N tx N': the state node0's kernel reports (up, "
	  "down, waiting: the node's side is not up yet; none: no link in "
	  "node0's kernel), the config's address (- when none), node0's "
	  "device and its counters (/sys/class/net/IFNAME/statistics; "
	  "left out when unreadable).",
	  status_opts, cmd_status, NULL },
	{ "audit", "[--config=FILE] [--json] [NODE...]",
	  "check what the machine enforces against the config",
	  "For every node of the config (or each NODE), read back what the "
	  "running machine enforces and compare it with the config, one "
	  "line per finding: NODE CHECK ok|MISMATCH: DETAIL. Checks: ram "
	  "(no byte of the node's RAM is System RAM in node0's /proc/iomem; "
	  "node0's kernel has the config's ranges), state, cpus (node0's "
	  "kernel has the config's CPUs; while the node holds them, none is "
	  "online in node0), and for a node that holds its CPUs, per "
	  "device: device (driver_override names the node, no node0 driver "
	  "bound), iommu (the device is in the node's IOMMU domain, which "
	  "maps exactly the node's RAM without its control area, as node0's "
	  "kernel reads it back from the IOMMU; skipped with iommu = off), "
	  "msi (enabled MSI and every unmasked MSI-X entry, read from the "
	  "device's configuration space and MSI-X table, target only the "
	  "node's APIC IDs), and dma-faults (the count node0 blocked); "
	  "then node0 ipi-broadcast, which holds by construction: the "
	  "interface is there, so node0's kernel is mint's, which never "
	  "sends the broadcast IPI shorthands. "
	  "Exits 3 on any mismatch, 0 when every finding is ok. Needs root "
	  "(/proc/iomem, the devices' configuration space and BARs).",
	  audit_opts, cmd_audit, NULL },
	{ "list", "[--config=FILE] [--json]", "list nodes and their states",
	  "Print one line per node, its name and state as 'mintctl status' "
	  "shows them (node0 first, then by id; 'offline (not defined)' for "
	  "a node only the config declares), without a header, for scripts: "
	  "mintctl list | while read -r node state rest; do ...; done. "
	  "Exits 0 whatever the states are; 'mintctl status --quiet' is the "
	  "health check.",
	  list_opts, cmd_list, NULL },
	{ "console", "[--timeout=SECONDS] [--until=TEXT] NODE[/VM]",
	  "attach to the console of a node or VM",
	  "Connect the terminal to NODE's terminal on its control area "
	  "(/dev/ttymint0 in the node, whatever UART it has). Ctrl-] "
	  "detaches. When stdin is not a terminal, send it and print the "
	  "node's output for SECONDS (default 5). NODE/VM follows the serial "
	  "output of the VM inside the node (tail -f of its console log).",
	  console_opts, cmd_console, NULL },
	{ "log", "[--follow] NODE", "print a node's kernel log",
	  "Print the kernel messages of NODE from the shared-memory ring its "
	  "kernel writes (the last 256 KiB). The ring survives the node: "
	  "after a panic or a hang it shows the node's last messages.",
	  log_opts, cmd_log, NULL },
	{ "wait", "[--timeout=SECONDS] NODE STATE",
	  "wait until a node reaches a state",
	  "Wait until node0's kernel reports NODE in STATE, one of offline, "
	  "loaded, starting, booting, running, halted, panic, hung, "
	  "stopped or failed (checked every 0.1 s). Exits 0 once it is, 1 when "
	  "the "
	  "timeout passes first, 4 when node0's kernel has not defined NODE "
	  "or drops it.",
	  wait_opts, cmd_wait, mint_state_names },
	{ "vm",
	  "[--config=FILE] [--quiet] [--timeout=SECONDS] "
	  "start|stop|restart|status NODE[/VM]",
	  "start, stop or show the VMs of a node from node0",
	  "Drive a VM through the VM supervisor (mint-vmd) of the kernel "
	  "that runs it, node0 or a node, without logging into the node. "
	  "start, stop and restart write a request (/run/mint/vm/VM/want in "
	  "that kernel: for a node, a shell line typed on its control-area "
	  "terminal, as 'mintctl console' does; for node0, the file itself), "
	  "which the supervisor takes within a second, then wait until its "
	  "report shows the VM running (start, restart: with a new QEMU) or "
	  "stopped. A VM stopped so stays 'stopped by-request', whatever its "
	  "restart policy, until started again. status prints the VM's line "
	  "of the report, NAME STATE DETAIL (all of them for NODE), as "
	  "'mintctl status' shows them under the node.\n"
	  "\n"
	  "Exits 0 once the VM is in the state (at once when it is already), "
	  "1 when the timeout passes first or the node's terminal does not "
	  "answer, 2 for bad arguments, 3 for an invalid config, 4 when VM "
	  "is not a VM of NODE in the config, NODE is not defined or not "
	  "running, or its supervisor is not running (no report, or node0's "
	  "older than 10 s), 5 when not run as root or without the mint "
	  "kernel interface.",
	  vm_opts, cmd_vm, cli_vm_actions },
	{ "migrate",
	  "[--config=FILE] [--quiet] [--timeout=SECONDS] NODE/VM TARGET",
	  "move a running VM to another node",
	  "Move the running VM from node NODE to node TARGET with QEMU's live "
	  "migration over the links between the kernels: TARGET's VM "
	  "supervisor starts the VM waiting on its link address, NODE's "
	  "mirrors the VM's disk into TARGET's (the disk path on TARGET, "
	  "which must be as large) and migrates RAM and devices, TARGET's "
	  "resumes it; the guest keeps running and is not rebooted. Checked "
	  "first: both nodes run and have a link address, TARGET has the CPUs "
	  "and RAM for the VM beside the VMs it holds, no VM there has the "
	  "same disk. Progress every 5 s. A failure at any step (TARGET "
	  "stopping included) cancels the migration and leaves the VM "
	  "running on NODE. Where the VM runs is kept in /run/mint/placement "
	  "(docs/migration.md): 'mintctl status' shows it under TARGET, "
	  "moved VMs stay where they are when either node restarts, and "
	  "'mintctl migrate TARGET/VM NODE' moves it back.\n"
	  "\n"
	  "Exits 0 once the VM runs on TARGET, 1 when the migration failed "
	  "(the VM still runs on NODE), 2 for bad arguments, 3 for an "
	  "invalid config, 4 when it cannot start (VM not on NODE, not "
	  "running, TARGET without room or not running), 5 when not run as "
	  "root or without the mint kernel interface.",
	  migrate_opts, cmd_migrate, NULL },
	{ "update",
	  "[--config=FILE] [--dry-run] [--quiet] [--timeout=SECONDS] "
	  "[--kernel=PATH] [--initrd=PATH] [--cmdline=TEXT] NODE",
	  "replace a node's kernel while its VMs keep running",
	  "Move every running VM of NODE to another node with room (as "
	  "'mintctl migrate' does, the first running node of the config "
	  "with a link address that fits it), stop NODE, start it on the new "
	  "image (the one-off --kernel, --initrd and --cmdline of 'mintctl "
	  "start'), wait until it runs, and move the VMs back; then print "
	  "the timeline. The plan is checked before anything changes: a VM "
	  "with no node to go to stops the update at once. A VM that does "
	  "not move stops it before NODE is touched (the VMs moved so far "
	  "stay where they are, running). A new image that does not come up "
	  "(not running, or its VM supervisor silent for 60 s) "
	  "is replaced by the config's, so NODE is bootable and the VMs come "
	  "back either way. The node runs the new image until its next start "
	  "from the config: put the new kernel into the config to keep it "
	  "(docs/migration.md).\n"
	  "\n"
	  "Exits 0 once NODE runs the new image with its VMs back, 1 when a "
	  "step failed (what runs where is printed), 2 for bad arguments, 3 "
	  "for an invalid config or a NODE not in it, 4 when NODE is not "
	  "running or a VM has no node to go to, 5 when not run as root or "
	  "without the mint kernel interface.",
	  update_opts, cmd_update, NULL },
	{ "help", "[COMMAND]", "show help for mintctl or a command",
	  "Print the list of commands, or the help of COMMAND.", NULL, cmd_help,
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};
