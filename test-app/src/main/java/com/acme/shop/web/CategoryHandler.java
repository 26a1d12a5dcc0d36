package com.acme.shop.web;

import com.acme.shop.dao.CategoryDao;
import com.acme.shop.dao.ProductDao;
import com.acme.shop.model.Category;
import com.acme.shop.model.CategorySummary;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything under /categories; all of it is read-only.
 */
final class CategoryHandler extends JsonHandler {

    private static final long ASYNC_TIMEOUT_SECONDS = 10;

    private final CategoryDao categories;
    private final ProductDao products;

    CategoryHandler(ObjectMapper mapper, CategoryDao categories, ProductDao products) {
        super(mapper);
        this.categories = categories;
        this.products = products;
    }

    @Override
    Response respond(Request request) {
        request.requireMethod("GET");
        List<String> path = request.segments();
        if (path.isEmpty()) {
            return Response.ok(categories.findAll());
        }
        long id = Request.parseId(path.get(0), "Category id");
        if (path.size() == 1) {
            Category category = categories.findById(id);
            if (category == null) {
                throw HttpError.notFound("No category with id " + id);
            }
            return Response.ok(category);
        }
        if (path.size() == 2) {
            return switch (path.get(1)) {
                case "summary" -> summary(id, products.summarize(id));
                case "summary-async" -> summary(id, await(products.summarizeAsync(id)));
                case "count" -> Response.ok(new CategoryCount(id, products.countByCategory(id)));
                default -> throw noSuchResource(path);
            };
        }
        throw noSuchResource(path);
    }

    private static HttpError noSuchResource(List<String> path) {
        return HttpError.notFound("No resource at /categories/" + String.join("/", path));
    }

    private static Response summary(long id, CategorySummary summary) {
        if (summary == null) {
            throw HttpError.notFound("No category with id " + id);
        }
        return Response.ok(summary);
    }

    private static CategorySummary await(CompletableFuture<CategorySummary> future) {
        try {
            return future.get(ASYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw HttpError.unavailable("Summary not ready after " + ASYNC_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpError.unavailable("Interrupted while waiting for the summary");
        }
    }
}
