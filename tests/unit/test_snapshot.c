/*
 * test_snapshot.c: the snapshot store (metrics/snapshot.c): a snapshot
 * built from older results never replaces one built from newer results,
 * whatever order the two arrive in; equal sequence numbers replace (a
 * reload publishes what it adopted at the old poller's last number).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics/metrics.h"

static struct snapshot *
numbered(uint64_t seq)
{
	struct snapshot *s = snapshot_new("v", "c");

	assert_non_null(s);
	s->seq = seq;
	return s;
}

static uint64_t
current_seq(struct snapshot_store *st)
{
	struct snapshot *s = snapshot_store_acquire(st);
	uint64_t seq;

	assert_non_null(s);
	seq = s->seq;
	snapshot_release(s);
	return seq;
}

static void
test_older_never_replaces_newer(void **state)
{
	struct snapshot_store st;

	assert_int_equal(snapshot_store_init(&st), 0);
	assert_false(snapshot_store_ready(&st));
	snapshot_store_publish(&st, numbered(5));
	assert_int_equal(current_seq(&st), 5);
	snapshot_store_publish(&st, numbered(3));	/* late, older */
	assert_int_equal(current_seq(&st), 5);
	snapshot_store_publish(&st, numbered(5));	/* same results */
	assert_int_equal(current_seq(&st), 5);
	snapshot_store_publish(&st, numbered(9));
	assert_int_equal(current_seq(&st), 9);
	snapshot_store_destroy(&st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_older_never_replaces_newer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
