package dev.engagement.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The embedded H2 database's housekeeping, on the timers of routes/maintenance.yaml. Written through
 * on every commit (WRITE_DELAY=0), H2 runs no background writer, so nothing does what that writer would:
 * <ul>
 * <li>{@link #compact}: each commit writes a new file chunk, and most chunks keep a little live data
 * for ever; without rewriting it the chunks, and H2's record of each on the heap, grew without end
 * (31,500 after four minutes of the benchmark; 1,151 with the rounds). A round rewrites at most a
 * bounded number of bytes, because the gateway's writes wait while it runs.</li>
 * <li>{@link #sync}: H2 never calls fsync on a commit. A crash keeps what was written; a power loss
 * keeps only what the OS had flushed, and H2 assumes writes older than RETENTION_TIME were.</li>
 * </ul>
 * Both run alone, with none of the gateway's writes in flight (the maintenance lock, whose shared side
 * every connection of MaintenanceAwareDataSource holds): run beside them, a kill -9 test lost answered
 * commits (H2 lets a commit return without writing when another store of the file happened meanwhile).
 * It takes the exclusive side itself, so its connections come from the pool, not through that wrapper.
 */
public class EmbeddedDatabaseHousekeeping {

    private final DataSource dataSource;
    private final Lock alone;
    private final int targetFillRate;
    private final int maxWriteBytes;

    public EmbeddedDatabaseHousekeeping(DataSource dataSource, ReadWriteLock maintenance, int targetFillRate, int maxWriteBytes) {
        this.dataSource = dataSource;
        this.alone = maintenance.writeLock();
        this.targetFillRate = targetFillRate;
        this.maxWriteBytes = maxWriteBytes;
    }

    /** Rewrites the live data of the emptiest chunks, if the file's chunks are less full than the target. */
    public void compact() throws SQLException {
        alone.lock();
        try (Connection c = dataSource.getConnection()) {
            store(c).compact(targetFillRate, maxWriteBytes);
        } finally {
            alone.unlock();
        }
    }

    /** Forces what H2 wrote to the disk (a CHECKPOINT compacts too, so it also runs alone). */
    public void sync() throws SQLException {
        alone.lock();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } finally {
            alone.unlock();
        }
    }

    // H2 has no SQL for an online compaction round: its store, reached through the session
    private static MVStore store(Connection c) throws SQLException {
        return ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    }
}
