package dev.engagement.gateway.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The pool as the gateway's code and its routes' {@code sql:} steps use it: every connection taken
 * holds the maintenance lock's shared side until it is closed (on the thread that took it), so that the embedded H2's housekeeping
 * (EmbeddedDatabaseHousekeeping, which takes the exclusive side) never runs beside a write. On
 * PostgreSQL nobody takes the exclusive side and the lock costs an uncontended CAS.
 */
public class MaintenanceAwareDataSource extends DelegatingDataSource {

    private final Lock shared;

    public MaintenanceAwareDataSource(DataSource pool, ReadWriteLock maintenance) {
        super(pool);
        this.shared = maintenance.readLock();
    }

    @Override
    public Connection getConnection() throws SQLException {
        shared.lock();
        try {
            return holdingLock(obtainTargetDataSource().getConnection());
        } catch (SQLException | RuntimeException e) {
            shared.unlock();
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLException("The gateway's connections use the pool's credentials");
    }

    /** The connection, releasing the lock when it is closed (once). */
    private Connection holdingLock(Connection connection) {
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if ("close".equals(method.getName()) && method.getParameterCount() == 0) {
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (released.compareAndSet(false, true)) {
                                shared.unlock();
                            }
                        }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
