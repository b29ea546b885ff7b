// Runs queries through pgJDBC, Metabase's PostgreSQL driver, and checks that
// every column arrives as a type Metabase charts: a number, a date or
// timestamp, text or a boolean.  An array (funnel_counts), an interval
// (PGInterval) or a composite arrives as one opaque value it cannot chart.
//
//   java -cp /usr/share/java/postgresql.jar MetabaseTypes.java URL VIEW...
//
// Prints a TAP line per column; first it proves it rejects an array, an
// interval and a composite.  Exits 1 on any failure, 2 when no column was
// checked.
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Set;

public class MetabaseTypes {
	static final Set<Integer> CHARTABLE = Set.of(
		Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE,
		Types.NUMERIC, Types.DECIMAL, Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE,
		Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.BIT, Types.BOOLEAN);

	static int passed = 0;
	static int failed = 0;

	static void ok(boolean good, String what) {
		if (good)
			passed++;
		else
			failed++;
		System.out.println((good ? "ok - " : "not ok - ") + what);
	}

	/* The columns of a query that Metabase cannot chart; rows read as Metabase does. */
	static int unchartable(Connection db, String query, String label, boolean report) throws SQLException {
		int bad = 0;
		try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
			ResultSetMetaData md = rs.getMetaData();
			int rows = 0;
			while (rs.next()) {
				rows++;
				for (int i = 1; i <= md.getColumnCount(); i++)
					rs.getObject(i);
			}
			if (report)
				ok(rows > 0, label + " returns rows (" + rows + ")");
			for (int i = 1; i <= md.getColumnCount(); i++) {
				boolean good = CHARTABLE.contains(md.getColumnType(i));
				if (!good)
					bad++;
				if (report)
					ok(good, label + "." + md.getColumnName(i) + ": " + md.getColumnTypeName(i)
					   + " arrives as java.sql.Types " + md.getColumnType(i) + " ("
					   + md.getColumnClassName(i) + ")");
			}
		}
		return bad;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2) {
			System.err.println("usage: MetabaseTypes URL VIEW...");
			System.exit(2);
		}
		int columns = 0;
		try (Connection db = DriverManager.getConnection(args[0])) {
			ok(unchartable(db, "SELECT ARRAY[1, 2]::bigint[] AS a, interval '1 day' AS i, "
						   + "ROW(1, 2) AS r, 1::bigint AS n", "control", false) == 3,
			   "the check rejects an array, an interval and a composite, and accepts a bigint");
			for (int v = 1; v < args.length; v++) {
				String view = args[v];
				int before = passed + failed;
				unchartable(db, "SELECT * FROM " + view, view, true);
				columns += passed + failed - before - 1;
			}
		}
		System.out.println("jdbc: " + columns + " columns of " + (args.length - 1) + " views checked, "
						   + failed + " failures");
		System.exit(failed > 0 ? 1 : columns == 0 ? 2 : 0);
	}
}
