package io.kbackup.core.fleet;

import io.kbackup.KBackupException;
import io.kbackup.OperationHandle;
import io.kbackup.OperationListener;
import io.kbackup.OperationTimeoutException;
import io.kbackup.Progress;
import io.kbackup.core.internal.RunListeners;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group operation in progress: a backup or restore of every member under one name, with at
 * most {@link #concurrency()} members running at once. Also an {@link OperationHandle}, so a group
 * run reports its {@link #phase()}, {@link #progress()} (items over all members) and
 * {@link #await details} as a single run does; {@link #membersDone()} and {@link #membersTotal()}
 * say how far it got in members. Thread-safe.
 *
 * <p>Members are taken in the group's order; each first passes its {@link MemberHealth health
 * check} (a member that fails it is skipped), then starts on its own engine. The threads of the
 * group's pool only check and start members and write their records; no thread waits for a
 * member's backup to end, so the threads used stay at most the concurrency whatever the group size.
 *
 * @param <H> the members' handle type
 * @param <I> the members' details type
 */
public final class GroupRun<H extends OperationHandle<?, I>, I> implements OperationHandle<GroupPhase, GroupRunInfo> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRun.class);

    /** What a group run does with one member: implemented by {@link ClusterGroup} for backups and restores. */
    interface Work<H, I> {
        /** On a pool thread: checks and starts the member; throws {@link Skip} to skip it, a {@link KBackupException} when refused. */
        H start(String member, Instant at);

        /** The outcome of a member whose operation ended with {@code info}. */
        MemberOutcome finished(String member, Instant started, I info, Instant at);

        /**
         * Records the member's new outcome where it lasts (a no-op for restores). Must not throw.
         * {@code ran} is false for a member that never started (skipped, refused): its folder may
         * hold another run of that name, which must not be overwritten.
         */
        void record(String member, MemberOutcome outcome, boolean ran);

        /** Called once when every member ended (releases what the run held). Must not throw. */
        void done();
    }

    /** Thrown by {@link Work#start} to skip a member. */
    static final class Skip extends RuntimeException {
        final SkipReason reason;

        Skip(SkipReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private final class Slot {
        final String member;
        volatile MemberOutcome outcome;
        volatile H handle;
        volatile I info;
        volatile KBackupException refusal;

        Slot(String member) {
            this.member = member;
            this.outcome = MemberOutcome.pending(member);
        }
    }

    private final String name;
    private final String group;
    private final int concurrency;
    private final Executor pool;
    private final Clock clock;
    private final Work<H, I> work;
    private final List<Slot> slots;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final CompletableFuture<GroupRunInfo> completion = new CompletableFuture<>();
    private volatile boolean cancelled;
    private final RunListeners<GroupPhase, GroupRunInfo> listeners;
    private GroupPhase toldPhase;

    GroupRun(String name, String group, List<String> members, int concurrency, Executor pool, Clock clock, Work<H, I> work) {
        this.name = name;
        this.group = group;
        this.concurrency = concurrency;
        this.pool = pool;
        this.clock = clock;
        this.work = work;
        this.slots = new ArrayList<>(members.size());
        members.forEach(m -> slots.add(new Slot(m)));
        this.listeners = new RunListeners<>(name, completion);
    }

    /** Starts the first members (at most the concurrency); the rest start as earlier ones end. */
    GroupRun<H, I> launch() {
        if (slots.isEmpty()) {
            finishRun();
            return this;
        }
        for (int i = 0; i < Math.min(concurrency, slots.size()); i++) {
            dispatch();
        }
        return this;
    }

    /** Records outcomes known before launch (for example members that have no backup to restore). */
    void preset(String member, MemberOutcome outcome) {
        for (Slot s : slots) {
            if (s.member.equals(member)) {
                s.outcome = outcome;
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The group's name. */
    public String group() {
        return group;
    }

    /** The most members running at once in this run. */
    public int concurrency() {
        return concurrency;
    }

    @Override
    public GroupPhase phase() {
        return GroupPhase.of(slots.stream().map(s -> s.outcome.phase()).toList());
    }

    /** Items known and done, and bytes, summed over the members (running members' live progress included). */
    @Override
    public Progress progress() {
        long total = 0;
        long itemsDone = 0;
        long bytes = 0;
        for (Slot s : slots) {
            H h = s.handle;
            if (h != null) {
                Progress p = h.progress();
                total += p.itemsTotal();
                itemsDone += p.itemsDone();
                bytes += p.bytes();
            } else {
                total += s.outcome.itemsTotal();
                itemsDone += s.outcome.itemsDone();
            }
        }
        return new Progress(total, itemsDone, bytes);
    }

    /** How many members the run covers. */
    public int membersTotal() {
        return slots.size();
    }

    /** How many members have ended (skipped, completed, partially failed or failed). */
    public int membersDone() {
        int n = 0;
        for (Slot s : slots) {
            if (s.outcome.phase().isTerminal()) {
                n++;
            }
        }
        return n;
    }

    /** Where every member stands now. */
    public GroupRunInfo info() {
        Map<String, MemberOutcome> out = new LinkedHashMap<>();
        slots.forEach(s -> out.put(s.member, s.outcome));
        return GroupRunInfo.of(name, group, out);
    }

    /** Member -> handle, for the members that started so far. */
    public Map<String, H> started() {
        return bySlot(s -> s.handle);
    }

    /** Member -> why it was refused before anything was written there (a failed member that never started). */
    public Map<String, KBackupException> refused() {
        return bySlot(s -> s.refusal);
    }

    /** Member -> details, for the members whose operation ended so far. */
    public Map<String, I> results() {
        return bySlot(s -> s.info);
    }

    /** Member -> what {@code value} reads of its slot, for the members where that is not null. */
    private <V> Map<String, V> bySlot(Function<Slot, V> value) {
        Map<String, V> out = new LinkedHashMap<>();
        for (Slot s : slots) {
            V v = value.apply(s);
            if (v != null) {
                out.put(s.member, v);
            }
        }
        return out;
    }

    /**
     * Waits until every member ended and returns member -> details of the members that ran.
     *
     * @throws OperationTimeoutException when the time runs out first (the run goes on)
     */
    public Map<String, I> awaitAll(Duration timeout) {
        await(timeout);
        return results();
    }

    /**
     * Waits until every member ended (skipped, completed or failed) and returns the run's details.
     *
     * @throws OperationTimeoutException when the time runs out first (the run goes on)
     */
    @Override
    public GroupRunInfo await(Duration timeout) {
        try {
            return completion.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperationTimeoutException("Group run '" + name + "' of group '" + group + "' did not end within " + timeout
                    + ": " + membersDone() + " of " + membersTotal() + " members done. It goes on; await it again or cancel it.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationTimeoutException("Interrupted while waiting for group run '" + name + "'.");
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("Group run '" + name + "' ended abnormally", e);
        }
    }

    /**
     * Tells {@code listener} this run's phases, its {@link #progress()} (about once a second, and
     * once more before the end), members' item errors ("member: message") and, exactly once, its
     * end: as for a single run, one call at a time and in that order.
     */
    @Override
    public void addListener(OperationListener<? super GroupPhase, ? super GroupRunInfo> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(OperationListener<? super GroupPhase, ? super GroupRunInfo> listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<GroupRunInfo> completion() {
        return completion.copy();
    }

    /** Starts no more members (they are skipped, {@link SkipReason#CANCELLED}) and cancels the running ones. */
    @Override
    public void cancel() {
        cancelled = true;
        slots.forEach(s -> {
            H h = s.handle;
            if (h != null && !h.completion().isDone()) {
                h.cancel();
            }
        });
    }

    // ---------------------------------------------------------------------------------------

    private void dispatch() {
        try {
            pool.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            // the group was closed: the members not started are cancelled
            cancelled = true;
            runNext();
        }
    }

    /** Takes pending members in order until one starts (its end dispatches the next) or none is left. */
    private void runNext() {
        while (true) {
            int i = next.getAndIncrement();
            if (i >= slots.size()) {
                return;
            }
            if (startOne(slots.get(i))) {
                return;
            }
        }
    }

    /** Starts one member; false when it ended at once (skipped, refused, preset). */
    private boolean startOne(Slot s) {
        Instant at = clock.instant();
        if (s.outcome.phase().isTerminal()) {
            end(s, s.outcome);
            return false;
        }
        if (cancelled) {
            end(s, MemberOutcome.skipped(s.member, SkipReason.CANCELLED, "the group run was cancelled before this member started", at));
            return false;
        }
        H handle;
        try {
            handle = work.start(s.member, at);
        } catch (Skip skip) {
            end(s, MemberOutcome.skipped(s.member, skip.reason, skip.getMessage(), at));
            return false;
        } catch (KBackupException e) {
            s.refusal = e;
            end(s, MemberOutcome.failed(s.member, e.getMessage(), at, clock.instant()));
            return false;
        } catch (RuntimeException e) {
            LOG.warn("Group run {}: member {} could not start: {}", name, s.member, e.toString());
            end(s, MemberOutcome.failed(s.member, "could not start: " + e, at, clock.instant()));
            return false;
        }
        // the record says STARTED before the handle is visible in started(): whoever sees the
        // member started and then stops the host finds a record of it
        s.outcome = MemberOutcome.started(s.member, at);
        work.record(s.member, s.outcome, true);
        tellPhase();
        s.handle = handle;
        handle.addListener(listeners.forwarder(s.member, this::progress));
        handle.completion().whenComplete((info, err) -> {
            Runnable finish = () -> {
                Instant now = clock.instant();
                if (err != null) {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                    end(s, MemberOutcome.failed(s.member, String.valueOf(cause.getMessage()), at, now));
                } else {
                    s.info = info;
                    end(s, work.finished(s.member, at, info, now));
                }
                runNext();
            };
            try {
                pool.execute(finish);
            } catch (RejectedExecutionException e) {
                cancelled = true;
                finish.run();
            }
        });
        return true;
    }

    private void update(Slot s, MemberOutcome outcome) {
        s.outcome = outcome;
        work.record(s.member, outcome, s.handle != null);
        tellPhase();
        listeners.progress(this::progress);
    }

    /** Tells the listeners the run's phase when it changed since they were last told. */
    private synchronized void tellPhase() {
        GroupPhase now = phase();
        if (now != toldPhase) {
            toldPhase = now;
            listeners.phase(now);
        }
    }

    private void end(Slot s, MemberOutcome outcome) {
        update(s, outcome);
        if (done.incrementAndGet() == slots.size()) {
            finishRun();
        }
    }

    private void finishRun() {
        try {
            work.done();
        } finally {
            tellPhase();
            listeners.close(progress());
            completion.complete(info());
        }
    }
}
