// SPDX-License-Identifier: GPL-2.0
/*
 * Prints every size, offset and constant of <asm/mint.h>, one per line.
 * tests/kernel/abi-check.sh compiles it once against the project's ABI
 * contract and once against the header the patched kernel exports, and
 * compares the two outputs.
 */
#include <stddef.h>
#include <stdio.h>

#include <asm/mint.h>

#define SIZE(t) printf("sizeof %s %zu\n", #t, sizeof(struct t))
#define OFF(t, f) printf("offsetof %s.%s %zu\n", #t, #f, offsetof(struct t, f))
#define FSIZE(t, f) \
	printf("fieldsize %s.%s %zu\n", #t, #f, sizeof(((struct t *)0)->f))
#define FIELD(t, f)          \
	do {                 \
		OFF(t, f);   \
		FSIZE(t, f); \
	} while (0)
#define NUM(c) printf("const %s %#llx\n", #c, (unsigned long long)(c))
#define STR(c) printf("string %s \"%s\"\n", #c, c)

static void setup_data(void)
{
	SIZE(mint_setup_data);
	FIELD(mint_setup_data, magic);
	FIELD(mint_setup_data, version);
	FIELD(mint_setup_data, node_id);
	FIELD(mint_setup_data, real_bsp_apic_id);
	FIELD(mint_setup_data, tsc_khz);
	FIELD(mint_setup_data, ctrl_base);
	FIELD(mint_setup_data, low_base);
	FIELD(mint_setup_data, low_size);
	FIELD(mint_setup_data, uart_port);
	FIELD(mint_setup_data, num_devices);
	FIELD(mint_setup_data, ecam_base);
	FIELD(mint_setup_data, ecam_end_bus);
	FIELD(mint_setup_data, reserved);
	FIELD(mint_setup_data, devices);
	FIELD(mint_setup_data, name);
	FIELD(mint_setup_data, kernel_addr);
	FIELD(mint_setup_data, link_base);
	FIELD(mint_setup_data, link_size);
}

static void links(void)
{
	SIZE(mint_link_rec);
	FIELD(mint_link_rec, len);
	FIELD(mint_link_rec, flags);
	FIELD(mint_link_rec, csum_start);
	FIELD(mint_link_rec, csum_offset);
	FIELD(mint_link_rec, reserved);
	SIZE(mint_link_ring);
	FIELD(mint_link_ring, head);
	FIELD(mint_link_ring, prod_wait);
	FIELD(mint_link_ring, tail);
	FIELD(mint_link_ring, cons_wait);
	SIZE(mint_link_hdr);
	FIELD(mint_link_hdr, magic);
	FIELD(mint_link_hdr, version);
	FIELD(mint_link_hdr, size);
	FIELD(mint_link_hdr, gen);
	FIELD(mint_link_hdr, node_ack);
	FIELD(mint_link_hdr, reset_req);
	FIELD(mint_link_hdr, node0_up);
	FIELD(mint_link_hdr, node_up);
	FIELD(mint_link_hdr, ring);
	NUM(MINT_LINK_MAGIC);
	NUM(MINT_LINK_VERSION);
	NUM(MINT_LINK_ALIGN);
	NUM(MINT_LINK_MIN_SIZE);
	NUM(MINT_LINK_MAX_SIZE);
	NUM(MINT_LINK_HDR_SIZE);
	NUM(MINT_LINK_REC_ALIGN);
	NUM(MINT_LINK_RING_BYTES(MINT_LINK_MIN_SIZE));
	NUM(MINT_LINK_RING_BYTES(MINT_LINK_MAX_SIZE));
	NUM(MINT_LINK_MTU);
	NUM(MINT_LINK_FRAME_MAX);
	NUM(MINT_LINK_TO_NODE);
	NUM(MINT_LINK_TO_NODE0);
	NUM(MINT_LINK_CSUM_PARTIAL);
	NUM(MINT_LINK_MAC_PREFIX);
	STR(MINT_LINK_NODE_IFNAME);
	STR(MINT_LINK_IFPREFIX);
	STR(MINT_LINK_UP);
	STR(MINT_LINK_DOWN);
	STR(MINT_LINK_WAITING);
	STR(MINT_LINK_NONE);
	STR(MINT_DEFINE_LINK);
}

static void ctrl(void)
{
	SIZE(mint_ctrl);
	FIELD(mint_ctrl, magic);
	FIELD(mint_ctrl, version);
	FIELD(mint_ctrl, state);
	FIELD(mint_ctrl, heartbeat);
	FIELD(mint_ctrl, boot_tsc);
	FIELD(mint_ctrl, trampoline);
	FIELD(mint_ctrl, stop_request);
	FIELD(mint_ctrl, cpus_up);
	FIELD(mint_ctrl, reserved);
	FIELD(mint_ctrl, panic_msg);
	FIELD(mint_ctrl, log_head);
	FIELD(mint_ctrl, con_head);
	FIELD(mint_ctrl, con_in_head);
	FIELD(mint_ctrl, con_in_tail);
	FIELD(mint_ctrl, nmi_ready);
	FIELD(mint_ctrl, nmi_stopped);
	FIELD(mint_ctrl, phase_tsc);
}

static void constants(void)
{
	static const char *const names[] = MINT_STATE_NAMES;
	static const char *const phases[] = MINT_PHASE_NAMES;
	unsigned int i;

	NUM(MINT_MAX_NODES);
	NUM(MINT_MAX_RANGES);
	NUM(MINT_MAX_DEVICES);
	NUM(MINT_NAME_LEN);
	NUM(KEXEC_MINT_NODE);
	NUM(KEXEC_MINT_ID_SHIFT);
	NUM(KEXEC_MINT_ID_MASK);
	NUM(MINT_LOW_BASE);
	NUM(MINT_LOW_SLOT);
	NUM(MINT_TRAMPOLINE_PAGE(3));
	NUM(MINT_LOW_SLICE(3));
	NUM(MINT_START_PGT_PAGES);
	NUM(SETUP_MINT_NODE);
	NUM(MINT_SETUP_MAGIC);
	NUM(MINT_SETUP_VERSION);
	NUM(MINT_STATE_COUNT);
	NUM(MINT_STATES_HOLDING_CPUS);
	NUM(MINT_STATES_FAILED);
	NUM(MINT_CTRL_SIZE);
	NUM(MINT_CTRL_MAGIC);
	NUM(MINT_CTRL_VERSION);
	NUM(MINT_PANIC_MSG);
	NUM(MINT_LOG_SIZE);
	NUM(MINT_CON_OFFSET);
	NUM(MINT_CON_SIZE);
	NUM(MINT_CON_IN_OFFSET);
	NUM(MINT_CON_IN_SIZE);
	NUM(MINT_VMS_OFFSET);
	NUM(MINT_VMS_SIZE);
	NUM(MINT_TRAMPOLINE_RAN);
	NUM(MINT_STOP_GRACEFUL);
	NUM(MINT_STOP_FORCED);
	NUM(MINT_PHASE_COUNT);
	NUM(MINT_PHASE_SLOTS);
	NUM(MINT_PHASES_USER);
	STR(MINT_SYSFS_DIR);
	STR(MINT_NODE_SYSFS_DIR);
	STR(MINT_NODE_PHASE_FILE);
	STR(MINT_NODE_VMS_FILE);
	STR(MINT_CONTROL_START);
	STR(MINT_CONTROL_STOP);
	STR(MINT_CONTROL_STOP_FORCE);
	STR(MINT_CONTROL_RELEASE);
	STR(MINT_DEFINE_ID);
	STR(MINT_DEFINE_NAME);
	STR(MINT_DEFINE_CPUS);
	STR(MINT_DEFINE_MEM);
	printf("const sizeof-state-names %zu\n",
	       sizeof(names) / sizeof(*names));
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		printf("state %u %s\n", i, names[i] ? names[i] : "(none)");
	printf("const sizeof-phase-names %zu\n",
	       sizeof(phases) / sizeof(*phases));
	for (i = 0; i < sizeof(phases) / sizeof(*phases); i++)
		printf("phase %u %s\n", i, phases[i] ? phases[i] : "(none)");
}

int main(void)
{
	setup_data();
	ctrl();
	links();
	constants();
	return 0;
}
