package ar.connector.invoicing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import ar.connector.config.ConnectorProperties;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.config.Hops;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/**
 * Fair invoicing across merchants (the {@code order-invoicing}, {@code invoice-turn} and
 * {@code invoice-turn-sweep} routes). Orders are admitted into their Contabilium account's backlog;
 * each account with work has one turn message circulating on connector.invoice-turns. A turn takes
 * the account's lease, invoices one order, gives the lease back and queues the account's next turn
 * behind every other account's, so a 2,000-order bulk run of one merchant and a single order of
 * another take turns instead of queueing one behind the other. A turn may go on to a few more of its
 * account's orders while it is short ({@link #advance}): the account is sequential anyway, and the
 * other accounts' turns run meanwhile on the other consumers. Nothing waits on a blocked consumer:
 * a failed order is retried later from the backlog (its {@code available_at}), and an account whose
 * next order is not due yet gets a scheduled turn message.
 *
 * <p>All sends happen on the consuming thread, so they join the route's transacted JMS session: a
 * turn that rolls back queues nothing, and its message comes back. A turn lost anyway (a crash
 * between the database and the broker) is found by {@link #sweep()} and issued again.
 */
@Component
public class InvoicingTurns {

    private static final Logger log = LoggerFactory.getLogger(InvoicingTurns.class);
    public static final String TURNS = "connector.invoice-turns";
    public static final String TURN_ENQUEUE = "direct:invoice-turn-enqueue";
    /** Artemis's scheduled delivery: the message is delivered at this epoch-millisecond time. */
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    /** How long a turn waits before trying again when another replica holds the account's lease. */
    private static final Duration LEASE_BUSY_PAUSE = Duration.ofSeconds(1);
    /** A turn whose account's budget has room within this long goes ahead (its calls wait that little). */
    private static final Duration BUDGET_PATIENCE = Duration.ofSeconds(1);
    /** Attempts past maxAttempts after which an order that still throws is dropped (it is FAILED by then). */
    private static final int GIVE_UP_MARGIN = 5;
    /** The database's now plus / minus a parameter in milliseconds (H2 and PostgreSQL). */
    private static final String DB_NOW_PLUS = "current_timestamp + cast(? as integer) * interval '0.001' second";
    private static final String DB_NOW_MINUS = "current_timestamp - cast(? as integer) * interval '0.001' second";

    /**
     * A turn under way: the account's lease held and its current order. A turn goes on to the
     * account's next order ({@link #advance}) while it is short, so the turn's own bookkeeping (the
     * lease, the turn message, its transaction) is paid once per several orders, not per order.
     */
    public static final class Work {
        private final InvoiceTurn turn;
        private final AccountLease.Held lease;
        private final long startedNanos = System.nanoTime();
        private volatile InvoiceBacklog.Entry entry;
        private volatile int orders = 1;
        private volatile boolean more = true;
        private volatile boolean retrying;
        private volatile boolean finished;

        Work(InvoiceTurn turn, InvoiceBacklog.Entry entry, AccountLease.Held lease) {
            this.turn = turn;
            this.entry = entry;
            this.lease = lease;
        }

        public InvoiceTurn turn() {
            return turn;
        }

        public InvoiceBacklog.Entry entry() {
            return entry;
        }

        /** Whether the turn has a current order to invoice (false once {@link #advance} found none to go on with). */
        public boolean hasOrder() {
            return more;
        }

        /** Orders this turn has taken so far. */
        public int orders() {
            return orders;
        }

        private void next(InvoiceBacklog.Entry following) {
            entry = following;
            orders++;
            retrying = false;
            finished = false;
        }
    }

    /** A turn goes on to the account's next order while it has run less than this ... */
    static final Duration TURN_SPAN = Duration.ofSeconds(2);
    /** ... and taken fewer orders than this. */
    static final int TURN_ORDERS = 50;

    private final InvoiceBacklog backlog;
    private final AccountLease lease;
    private final OrderInvoicer invoicer;
    private final LinkRepository links;
    private final JdbcTemplate jdbc;
    private final Hops hops;
    private final ObjectMapper json;
    private final ConnectorProperties.Invoicing settings;
    private final ContabiliumClient contabilium;
    private final Counter deferredForBudget;

    public InvoicingTurns(InvoiceBacklog backlog, AccountLease lease, OrderInvoicer invoicer, LinkRepository links,
            JdbcTemplate jdbc, Hops hops, ObjectMapper json, ConnectorProperties properties,
            ContabiliumClient contabilium, MeterRegistry meters) {
        this.contabilium = contabilium;
        this.deferredForBudget = Counter.builder("connector.invoice.turns.deferred")
                .description("invoice turns put off because their Contabilium account had no budget left")
                .tag("reason", "budget").register(meters);
        this.backlog = backlog;
        this.lease = lease;
        this.invoicer = invoicer;
        this.links = links;
        this.jdbc = jdbc;
        this.hops = hops;
        this.json = json;
        this.settings = properties.invoicing();
    }

    /** An order off connector.orders: into its account's backlog; the account gets a turn if it had none. */
    public void admit(OrderMessage message) throws JsonProcessingException {
        Optional<Link> link = links.findById(message.linkId());
        if (link.isEmpty() || !link.get().isActive()) {
            log.info("Ignoring order {} of link {}: the link is gone or unlinked", message.orderId(), message.linkId());
            return;
        }
        String clientId = AccountLease.key(link.get().getContabiliumClientId());
        lease.ensureRow(clientId);
        backlog.add(clientId, json.writeValueAsString(message));
        if (!claimTurn(clientId)) {
            bringForward(clientId);
        }
    }

    /**
     * The account's turn is scheduled for later (its other orders wait for a retry) while a new order
     * is available now: a new turn now replaces it (the scheduled message, when it comes, is stale).
     * A turn due within {@link #LEASE_BUSY_PAUSE} or under way (its lease held) is left alone.
     */
    private void bringForward(String clientId) {
        String fresh = UUID.randomUUID().toString();
        int replaced = jdbc.update("update contabilium_account set turn_id = ?, turn_due_at = current_timestamp"
                + " where client_id = ? and turn_id is not null and turn_due_at > " + DB_NOW_PLUS
                + " and (lease_token is null or lease_expires_at < current_timestamp)", fresh, clientId,
                (int) LEASE_BUSY_PAUSE.multipliedBy(2).toMillis());
        if (replaced == 1) {
            send(new InvoiceTurn(clientId, fresh, null));
        }
    }

    /**
     * A turn off connector.invoice-turns: the account's next order with its lease held, or null when
     * there is nothing to do now (a stale turn, the lease busy elsewhere, nothing due yet), in which
     * case the turn has been passed on as needed.
     */
    public Work take(InvoiceTurn turn) {
        if (!isLive(turn)) {
            return null; // superseded by a turn the sweep issued
        }
        Duration budget = contabilium.budgetWait(turn.clientId());
        if (budget.compareTo(BUDGET_PATIENCE) > 0) {
            // Out of Contabilium budget (its window full, or blocked after a 429): the turn comes back
            // when there is room, and this consumer serves other accounts meanwhile.
            deferredForBudget.increment();
            queueTurn(turn.clientId(), turn.turnId(), budget);
            return null;
        }
        Optional<AccountLease.Held> held = lease.tryAcquire(turn.clientId());
        if (held.isEmpty()) {
            queueTurn(turn.clientId(), turn.turnId(), LEASE_BUSY_PAUSE);
            return null;
        }
        Optional<InvoiceBacklog.Entry> entry;
        try {
            entry = backlog.next(turn.clientId());
        } catch (RuntimeException e) {
            lease.release(held.get());
            throw e;
        }
        if (entry.isEmpty()) {
            lease.release(held.get());
            passOn(turn);
            return null;
        }
        return new Work(turn, entry.get(), held.get());
    }

    /**
     * Invoices the turn's order. A failure leaves the order in the backlog for a later turn (after the
     * redelivery delay, doubling); the attempt number is the delivery count the invoicer knows, so the
     * last one marks the order FAILED.
     */
    public InvoicingOutcome invoice(Work work) {
        InvoiceBacklog.Entry entry = work.entry;
        int delivery = entry.attempt() + 1;
        OrderMessage message;
        try {
            message = json.readValue(entry.message(), OrderMessage.class);
        } catch (JsonProcessingException e) {
            log.error("Dropping unreadable backlog entry {} of account {}: {}", entry.id(), entry.clientId(),
                    e.getOriginalMessage());
            return InvoicingOutcome.none(0, 0);
        }
        try {
            return invoicer.handle(message, delivery);
        } catch (AccountLease.LostException e) {
            // Not the order's fault: the lease lapsed (a stall, the database away). The order stays
            // available, its attempt uncounted, for whichever turn holds the account next.
            work.retrying = true;
            log.warn("Order {} of link {} stopped: {}", message.orderId(), message.linkId(), e.getMessage());
            return InvoicingOutcome.none(message.linkId(), message.orderId());
        } catch (RuntimeException e) {
            work.retrying = true;
            retryOrDrop(entry, message, delivery, e);
            return InvoicingOutcome.none(message.linkId(), message.orderId());
        }
    }

    /**
     * A failed attempt: the entry waits for its retry, or, past the give-up bound, leaves the backlog
     * with its order shown FAILED (the invoicer marks it on its last attempt; this covers what failed
     * outside it, such as the order's steps after invoicing).
     */
    private void retryOrDrop(InvoiceBacklog.Entry entry, OrderMessage message, int delivery, RuntimeException e) {
        if (delivery >= settings.maxAttempts() + GIVE_UP_MARGIN) {
            log.error("Order {} of link {} still fails after {} attempts; dropping it from the backlog",
                    message.orderId(), message.linkId(), delivery, e);
            try {
                invoicer.giveUp(message, "Falló tras " + delivery + " intentos: " + e.getMessage());
            } catch (RuntimeException markFailed) {
                log.error("Could not mark order {} of link {} FAILED", message.orderId(), message.linkId(), markFailed);
            }
            backlog.done(entry.id());
            return;
        }
        Duration pause = settings.retryDelay(delivery + 1);
        log.info("Order {} of link {} failed (attempt {}), retried in {} ms: {}", message.orderId(),
                message.linkId(), delivery, pause.toMillis(), e.toString());
        backlog.retryIn(entry.id(), delivery, pause, e.toString());
    }

    /** The order's steps after invoicing are done too: it leaves the backlog (unless it is to be retried). */
    public void done(Work work) {
        work.finished = true;
        if (!work.retrying) {
            backlog.done(work.entry.id());
        }
    }

    /**
     * After an order of the turn is done: the same turn goes on to the account's next available order,
     * keeping the lease, while the turn is short ({@link #TURN_SPAN}, {@link #TURN_ORDERS}), the lease
     * is still held and the account has Contabilium budget. Otherwise {@link Work#hasOrder()} turns
     * false and {@link #end} passes the turn on as usual. Other accounts never wait for this: each has
     * its own turn, served by the other consumers.
     */
    public void advance(Work work) {
        boolean goOn = work.finished && !work.retrying && !work.lease.lost() && work.orders < TURN_ORDERS
                && System.nanoTime() - work.startedNanos < TURN_SPAN.toNanos()
                && contabilium.budgetWait(work.turn.clientId()).compareTo(BUDGET_PATIENCE) <= 0;
        Optional<InvoiceBacklog.Entry> following = goOn ? backlog.next(work.turn.clientId()) : Optional.empty();
        if (following.isPresent()) {
            work.next(following.get());
        } else {
            work.more = false;
        }
    }

    /**
     * Always, at the end of a turn: the lease goes back and the account's next turn is queued. A turn
     * that failed after invoicing (releasing the stock reservation, queueing the receipt) rolls its
     * message back; its order gets a later retry here first (the database does not roll back), so
     * the account's other orders are not held behind it.
     */
    public void end(Work work) {
        try {
            if (!work.finished && !work.retrying) {
                OrderMessage message = readOrNull(work.entry);
                if (message != null) {
                    retryOrDrop(work.entry, message, work.entry.attempt() + 1,
                            new IllegalStateException("the order's steps after invoicing failed"));
                }
            }
        } finally {
            lease.release(work.lease);
            passOn(work.turn);
        }
    }

    private OrderMessage readOrNull(InvoiceBacklog.Entry entry) {
        try {
            return json.readValue(entry.message(), OrderMessage.class);
        } catch (JsonProcessingException e) {
            backlog.done(entry.id());
            return null;
        }
    }

    /**
     * Once per cluster: an account with orders waiting and no live turn (its turn message was lost,
     * or never sent because a crash came between the database and the broker) gets a new turn.
     */
    public void sweep() {
        int overdueMillis = (int) overdueAfter().toMillis();
        for (String clientId : backlog.accounts()) {
            TurnState state = jdbc.query("select turn_id, case when turn_due_at is null or turn_due_at < "
                    + DB_NOW_MINUS + " then 1 else 0 end, case when lease_token is null"
                    + " or lease_expires_at < current_timestamp then 1 else 0 end from contabilium_account"
                    + " where client_id = ?", (rs, i) -> new TurnState(rs.getString(1), rs.getInt(2) == 1,
                            rs.getInt(3) == 1), overdueMillis, clientId).stream().findFirst().orElse(null);
            if (state == null) {
                continue;
            }
            if (state.turnId() == null) {
                claimTurn(clientId);
                continue;
            }
            if (state.leaseFree() && state.overdue()) {
                String fresh = UUID.randomUUID().toString();
                int replaced = jdbc.update("update contabilium_account set turn_id = ?, turn_due_at = current_timestamp"
                        + " where client_id = ? and turn_id = ?", fresh, clientId, state.turnId());
                if (replaced == 1) {
                    log.warn("Account {} had orders waiting and its turn was lost: issued a new one", clientId);
                    send(new InvoiceTurn(clientId, fresh, null));
                }
            }
        }
    }

    private record TurnState(String turnId, boolean overdue, boolean leaseFree) {
    }

    /** A turn not taken this long after it was due is considered lost (they are taken within seconds). */
    private Duration overdueAfter() {
        Duration byLease = settings.leaseTtl().multipliedBy(2);
        Duration bySweep = settings.sweepInterval().multipliedBy(3);
        Duration floor = Duration.ofMinutes(1);
        Duration longest = byLease.compareTo(bySweep) > 0 ? byLease : bySweep;
        return longest.compareTo(floor) > 0 ? longest : floor;
    }

    /** The account's next turn: now if an order is available, scheduled if one is due later, else none. */
    private void passOn(InvoiceTurn turn) {
        Optional<Duration> next = backlog.nextAvailable(turn.clientId());
        if (next.isPresent()) {
            queueTurn(turn.clientId(), turn.turnId(), next.get());
            return;
        }
        int ended = jdbc.update("update contabilium_account set turn_id = null, turn_due_at = null"
                + " where client_id = ? and turn_id = ?", turn.clientId(), turn.turnId());
        if (ended == 1 && backlog.nextAvailable(turn.clientId()).isPresent()) {
            claimTurn(turn.clientId()); // an order admitted while this turn was ending
        }
    }

    /** Gives the account a turn if it has none (only one admission or sweep wins); true if this one did. */
    private boolean claimTurn(String clientId) {
        String turnId = UUID.randomUUID().toString();
        int claimed = jdbc.update("update contabilium_account set turn_id = ?, turn_due_at = current_timestamp"
                + " where client_id = ? and turn_id is null", turnId, clientId);
        if (claimed == 1) {
            send(new InvoiceTurn(clientId, turnId, null));
        }
        return claimed == 1;
    }

    /** The turn again, now or after {@code wait} (an Artemis scheduled message); due times on the database's clock. */
    private void queueTurn(String clientId, String turnId, Duration wait) {
        int millis = wait.isNegative() ? 0 : (int) Math.min(wait.toMillis(), Integer.MAX_VALUE);
        jdbc.update("update contabilium_account set turn_due_at = " + DB_NOW_PLUS + " where client_id = ?"
                + " and turn_id = ?", millis, clientId, turnId);
        send(new InvoiceTurn(clientId, turnId, millis > 0 ? Instant.now().toEpochMilli() + millis : null));
    }

    private boolean isLive(InvoiceTurn turn) {
        return !jdbc.queryForList("select client_id from contabilium_account where client_id = ? and turn_id = ?",
                String.class, turn.clientId(), turn.turnId()).isEmpty();
    }

    private void send(InvoiceTurn turn) {
        hops.send(TURN_ENQUEUE, turn);
    }
}
