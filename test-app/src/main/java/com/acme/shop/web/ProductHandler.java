package com.acme.shop.web;

import com.acme.shop.dao.ProductDao;
import com.acme.shop.model.Product;
import com.acme.shop.model.ProductStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;

/**
 * Everything under /products.
 */
final class ProductHandler extends JsonHandler {

    private static final int MAX_SEARCH_TEXT = 100;

    private final ProductDao products;

    ProductHandler(ObjectMapper mapper, ProductDao products) {
        super(mapper);
        this.products = products;
    }

    @Override
    Response respond(Request request) {
        List<String> path = request.segments();
        if (path.isEmpty()) {
            return collection(request);
        }
        String first = path.get(0);
        if (path.size() == 1 && first.equals("search")) {
            request.requireMethod("GET");
            return Response.ok(products.search(searchText(request)));
        }
        if (path.size() == 1 && first.equals("ids-by-status")) {
            request.requireMethod("GET");
            return Response.ok(products.productIdsByStatus());
        }
        if (path.size() == 2 && first.equals("by-sku")) {
            request.requireMethod("GET");
            String sku = path.get(1);
            return Response.ok(products.findBySku(sku)
                    .orElseThrow(() -> HttpError.notFound("No product with SKU " + sku)));
        }
        long id = Request.parseId(first, "Product id");
        if (path.size() == 1) {
            return item(request, id);
        }
        if (path.size() == 2 && path.get(1).equals("price")) {
            request.requireMethod("PATCH");
            return changePrice(request, id);
        }
        throw HttpError.notFound("No resource at /products/" + String.join("/", path));
    }

    private Response collection(Request request) {
        return switch (request.method()) {
            case "GET" -> Response.ok(products.findByCategory(
                    Request.parseId(request.requiredParam("category"), "category")));
            case "POST" -> insert(request);
            default -> throw HttpError.methodNotAllowed(request.method(), "GET, POST");
        };
    }

    private Response item(Request request, long id) {
        return switch (request.method()) {
            case "GET" -> Response.ok(find(id));
            case "PUT" -> update(request, id);
            case "DELETE" -> {
                products.delete(id);
                yield Response.noContent();
            }
            default -> throw HttpError.methodNotAllowed(request.method(), "GET, PUT, DELETE");
        };
    }

    private Product find(long id) {
        Product product = products.findById(id);
        if (product == null) {
            throw HttpError.notFound("No product with id " + id);
        }
        return product;
    }

    private Response insert(Request request) {
        Product product = request.body(Product.class);
        product.setId(0);
        defaultStatus(product);
        ProductValidator.validate(product);
        Product created = products.insert(product);
        return Response.created(created, "/products/" + created.getId());
    }

    private Response update(Request request, long id) {
        Product changes = request.body(Product.class);
        if (changes.getId() != 0 && changes.getId() != id) {
            throw HttpError.badRequest("Body id " + changes.getId() + " does not match path id " + id);
        }
        changes.setId(id);
        defaultStatus(changes);
        ProductValidator.validate(changes);
        return Response.ok(products.update(changes));
    }

    private Response changePrice(Request request, long id) {
        JsonNode price = request.bodyTree().get("price");
        if (price == null || !price.isNumber()) {
            throw HttpError.badRequest("Body must look like {\"price\": 12.5}");
        }
        BigDecimal newPrice = price.decimalValue();
        ProductValidator.validatePrice(newPrice);
        products.updatePrice(id, newPrice);
        return Response.noContent();
    }

    private static String searchText(Request request) {
        String text = request.requiredParam("q").trim();
        if (text.length() > MAX_SEARCH_TEXT) {
            throw HttpError.badRequest("Search text must be at most " + MAX_SEARCH_TEXT + " characters");
        }
        return text;
    }

    private static void defaultStatus(Product product) {
        if (product.getStatus() == null) {
            product.setStatus(ProductStatus.ACTIVE);
        }
    }
}
