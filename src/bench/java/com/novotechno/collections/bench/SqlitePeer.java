package com.novotechno.collections.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The peer the benchmarks measure the project against: a plain Java implementation of the same
 * apply on SQLite, durable on every commit (WAL, {@code synchronous=FULL}: each commit fsyncs the
 * WAL). One message is one transaction: look up the message id, read the invoice, insert the
 * event, upsert the invoice, record the message id; {@link #applyBatch} puts many messages in one
 * transaction, as a bulk load would.
 *
 * <p>One instance is one connection with its prepared statements: not thread-safe.
 */
final class SqlitePeer implements AutoCloseable {

    enum Outcome { APPLIED, DUPLICATE }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final PreparedStatement findMessage;
    private final PreparedStatement readInvoice;
    private final PreparedStatement insertEvent;
    private final PreparedStatement lastSeq;
    private final PreparedStatement upsertInvoice;
    private final PreparedStatement recordMessage;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;

    private SqlitePeer(Connection connection) throws SQLException {
        this.connection = connection;
        findMessage = connection.prepareStatement("SELECT seq FROM messages WHERE message_id = ?");
        readInvoice = connection.prepareStatement(
                "SELECT currency, amount_minor, paid_minor, status FROM invoices WHERE client = ? AND invoice_number = ?");
        insertEvent = connection.prepareStatement("INSERT INTO events (message_id, client, invoice_number, type, amount_minor,"
                + " currency, recorded_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        lastSeq = connection.prepareStatement("SELECT last_insert_rowid()");
        upsertInvoice = connection.prepareStatement("INSERT INTO invoices (client, invoice_number, currency, amount_minor,"
                + " paid_minor, status, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client, invoice_number) DO UPDATE"
                + " SET paid_minor = excluded.paid_minor, status = excluded.status, last_seq = excluded.last_seq");
        recordMessage = connection.prepareStatement("INSERT INTO messages (message_id, seq) VALUES (?, ?)");
        begin = connection.prepareStatement("BEGIN IMMEDIATE");
        commit = connection.prepareStatement("COMMIT");
        rollback = connection.prepareStatement("ROLLBACK");
    }

    /**
     * Opens a connection to {@code database}, creating its tables if they are not there. WAL,
     * synchronous=FULL (checked), and a busy timeout for when connections contend. The connection
     * stays in JDBC auto-commit mode and each transaction is an explicit BEGIN IMMEDIATE ... COMMIT:
     * sqlite-jdbc with auto-commit off begins the next transaction as soon as one commits, so an
     * idle connection would hold the write lock; IMMEDIATE takes the write lock at the start, so
     * two connections never deadlock upgrading a read.
     */
    static SqlitePeer open(Path database) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, config.toProperties());
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, message_id TEXT NOT NULL,"
                    + " client TEXT NOT NULL, invoice_number TEXT NOT NULL, type TEXT NOT NULL, amount_minor INTEGER,"
                    + " currency TEXT, recorded_at TEXT NOT NULL, body TEXT NOT NULL)");
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS invoices (client TEXT NOT NULL, invoice_number TEXT NOT NULL,"
                    + " currency TEXT NOT NULL, amount_minor INTEGER NOT NULL, paid_minor INTEGER NOT NULL,"
                    + " status TEXT NOT NULL, last_seq INTEGER NOT NULL, PRIMARY KEY (client, invoice_number)) WITHOUT ROWID");
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS messages (message_id TEXT PRIMARY KEY, seq INTEGER NOT NULL)"
                    + " WITHOUT ROWID");
        }
        String journal = pragma(connection, "journal_mode");
        String synchronous = pragma(connection, "synchronous");
        if (!journal.equalsIgnoreCase("wal") || !synchronous.equals("2")) {
            throw new IllegalStateException("SQLite peer not durable as intended: journal_mode " + journal + ", synchronous " + synchronous);
        }
        return new SqlitePeer(connection);
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet value = statement.executeQuery("PRAGMA " + name)) {
            value.next();
            return value.getString(1);
        }
    }

    /** One message in its own transaction, durable when this returns. */
    Outcome apply(String message) throws SQLException, IOException {
        begin.execute();
        try {
            Outcome outcome = applyInTransaction(message);
            commit.execute();
            return outcome;
        } catch (SQLException | IOException | RuntimeException e) {
            rollback.execute();
            throw e;
        }
    }

    /** Many messages in one transaction, durable when this returns; the number applied. */
    int applyBatch(List<String> messages) throws SQLException, IOException {
        begin.execute();
        try {
            int applied = 0;
            for (String message : messages) {
                if (applyInTransaction(message) == Outcome.APPLIED) {
                    applied++;
                }
            }
            commit.execute();
            return applied;
        } catch (SQLException | IOException | RuntimeException e) {
            rollback.execute();
            throw e;
        }
    }

    private Outcome applyInTransaction(String message) throws SQLException, IOException {
        JsonNode json = JSON.readTree(message);
        String type = json.get("type").asText();
        String messageId = json.get("message_id").asText();
        String client = json.get("client").asText();
        String invoiceNumber = json.get("invoice_number").asText();
        Currency currency = Currency.getInstance(json.get("currency").asText());
        long amount = new BigDecimal(json.get("amount").asText()).movePointRight(currency.getDefaultFractionDigits())
                .longValueExact();

        findMessage.setString(1, messageId);
        try (ResultSet seen = findMessage.executeQuery()) {
            if (seen.next()) {
                return Outcome.DUPLICATE;
            }
        }
        long invoiceAmount;
        long paid;
        readInvoice.setString(1, client);
        readInvoice.setString(2, invoiceNumber);
        try (ResultSet invoice = readInvoice.executeQuery()) {
            boolean exists = invoice.next();
            switch (type) {
                case "invoice.issued" -> {
                    if (exists) {
                        throw new IllegalStateException(messageId + ": invoice already issued");
                    }
                    invoiceAmount = amount;
                    paid = 0;
                }
                case "payment.received" -> {
                    if (!exists || !invoice.getString(1).equals(currency.getCurrencyCode())
                            || !invoice.getString(4).equals("open")) {
                        throw new IllegalStateException(messageId + ": no open invoice in " + currency + " to pay");
                    }
                    invoiceAmount = invoice.getLong(2);
                    paid = invoice.getLong(3) + amount;
                    if (paid > invoiceAmount) {
                        throw new IllegalStateException(messageId + ": pays more than is due");
                    }
                }
                default -> throw new IllegalStateException(messageId + ": the peer does not apply " + type);
            }
        }
        insertEvent.setString(1, messageId);
        insertEvent.setString(2, client);
        insertEvent.setString(3, invoiceNumber);
        insertEvent.setString(4, type);
        insertEvent.setLong(5, amount);
        insertEvent.setString(6, currency.getCurrencyCode());
        insertEvent.setString(7, Instant.now().toString());
        insertEvent.setString(8, message);
        insertEvent.executeUpdate();
        long seq;
        try (ResultSet rowid = lastSeq.executeQuery()) {
            rowid.next();
            seq = rowid.getLong(1);
        }
        upsertInvoice.setString(1, client);
        upsertInvoice.setString(2, invoiceNumber);
        upsertInvoice.setString(3, currency.getCurrencyCode());
        upsertInvoice.setLong(4, invoiceAmount);
        upsertInvoice.setLong(5, paid);
        upsertInvoice.setString(6, paid == invoiceAmount ? "paid" : "open");
        upsertInvoice.setLong(7, seq);
        upsertInvoice.executeUpdate();
        recordMessage.setString(1, messageId);
        recordMessage.setLong(2, seq);
        recordMessage.executeUpdate();
        return Outcome.APPLIED;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
