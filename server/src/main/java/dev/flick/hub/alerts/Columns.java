package dev.flick.hub.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Nullable numeric columns read the same way on SQLite and PostgreSQL (sqlite-jdbc's typed getObject refuses NULL). */
final class Columns {

    private Columns() {}

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
