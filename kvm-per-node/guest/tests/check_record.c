// SPDX-License-Identifier: GPL-2.0
/* Check unit tests of the guests' checksummed disk records (record.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static unsigned char blk[MG_BLOCK];

START_TEST(crc32_known_value)
{
	/* the CRC-32 check value of the IEEE polynomial */
	ck_assert_uint_eq(mg_crc32("123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(mg_crc32("", 0), 0);
}
END_TEST

START_TEST(fill_then_check_is_good)
{
	mg_record_fill(blk, 42, "guest2", 123);
	ck_assert_int_eq(mg_record_check(blk, 42, "guest2"), MG_GOOD);
}
END_TEST

START_TEST(zero_block_is_empty)
{
	memset(blk, 0, sizeof(blk));
	ck_assert_int_eq(mg_record_check(blk, 1, "guest2"), MG_EMPTY);
}
END_TEST

START_TEST(any_flipped_byte_is_bad_crc)
{
	for (size_t i = 8; i < MG_BLOCK; i += 97) {
		mg_record_fill(blk, 7, "g", 1);
		blk[i] ^= 0x10;
		ck_assert_msg(mg_record_check(blk, 7, "g") == MG_BAD_CRC,
			      "flip at %zu not detected", i);
	}
}
END_TEST

START_TEST(torn_write_is_bad_crc)
{
	mg_record_fill(blk, 9, "g", 1);
	memset(blk + 512, 0, MG_BLOCK - 512);
	ck_assert_int_eq(mg_record_check(blk, 9, "g"), MG_BAD_CRC);
}
END_TEST

START_TEST(misplaced_and_foreign_records)
{
	mg_record_fill(blk, 3, "guest1", 1);
	ck_assert_int_eq(mg_record_check(blk, 4, "guest1"), MG_BAD_INDEX);
	ck_assert_int_eq(mg_record_check(blk, 3, "guest2"), MG_BAD_TAG);
}
END_TEST

START_TEST(long_tag_is_cut_not_overflowed)
{
	char tag[100];

	memset(tag, 'x', sizeof(tag) - 1);
	tag[sizeof(tag) - 1] = 0;
	mg_record_fill(blk, 1, tag, 1);
	ck_assert_int_eq(mg_record_check(blk, 1, tag), MG_GOOD);
}
END_TEST

START_TEST(scan_counts_holes_and_bad)
{
	struct mg_scan s = { 0 };

	mg_scan_add(&s, 1, MG_GOOD);
	mg_scan_add(&s, 2, MG_EMPTY);
	mg_scan_add(&s, 3, MG_BAD_CRC);
	mg_scan_add(&s, 4, MG_GOOD);
	mg_scan_add(&s, 5, MG_EMPTY);
	mg_scan_add(&s, 6, MG_BAD_TAG);
	mg_scan_add(&s, 7, MG_EMPTY);
	mg_scan_finish(&s);
	ck_assert_uint_eq(s.good, 2);
	ck_assert_uint_eq(s.bad, 2);
	ck_assert_uint_eq(s.last, 6);
	ck_assert_uint_eq(s.holes, 2);
	ck_assert_uint_eq(s.first_bad, 3);
}
END_TEST

START_TEST(scan_of_empty_disk)
{
	struct mg_scan s = { 0 };

	mg_scan_add(&s, 1, MG_EMPTY);
	mg_scan_finish(&s);
	ck_assert_uint_eq(s.good + s.bad + s.holes + s.last, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, crc32_known_value);
	tcase_add_test(tc, fill_then_check_is_good);
	tcase_add_test(tc, zero_block_is_empty);
	tcase_add_test(tc, any_flipped_byte_is_bad_crc);
	tcase_add_test(tc, torn_write_is_bad_crc);
	tcase_add_test(tc, misplaced_and_foreign_records);
	tcase_add_test(tc, long_tag_is_cut_not_overflowed);
	tcase_add_test(tc, scan_counts_holes_and_bad);
	tcase_add_test(tc, scan_of_empty_disk);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_VERBOSE);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
