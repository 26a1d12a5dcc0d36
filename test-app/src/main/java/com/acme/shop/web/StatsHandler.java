package com.acme.shop.web;

import com.acme.shop.db.SqlStatementCounter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.logging.Logger;

/**
 * GET /stats and POST /stats/reset; these requests are not counted themselves.
 */
final class StatsHandler extends JsonHandler {

    private static final Logger LOG = Logger.getLogger(StatsHandler.class.getName());

    private final SqlStatementCounter sqlStatements;
    private final RequestCounter requests;

    StatsHandler(ObjectMapper mapper, SqlStatementCounter sqlStatements, RequestCounter requests) {
        super(mapper);
        this.sqlStatements = sqlStatements;
        this.requests = requests;
    }

    @Override
    Response respond(Request request) {
        List<String> path = request.segments();
        if (path.isEmpty()) {
            request.requireMethod("GET");
            return Response.ok(new Stats(sqlStatements.get(), requests.get()));
        }
        if (path.size() == 1 && path.get(0).equals("reset")) {
            request.requireMethod("POST");
            Stats previous = new Stats(sqlStatements.reset(), requests.reset());
            LOG.info(() -> "Stats reset after " + previous.requests() + " requests and "
                    + previous.sqlQueries() + " SQL statements");
            return Response.ok(previous);
        }
        throw HttpError.notFound("No resource at /stats/" + String.join("/", path));
    }
}
