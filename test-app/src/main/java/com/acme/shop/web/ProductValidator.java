package com.acme.shop.web;

import com.acme.shop.model.Product;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks client-supplied products against the limits of the product table.
 */
final class ProductValidator {

    private static final int MAX_SKU = 32;
    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 1000;
    private static final BigDecimal MAX_PRICE = new BigDecimal("99999999.99");

    private ProductValidator() {
    }

    static void validate(Product product) {
        List<String> problems = new ArrayList<>();
        checkText(problems, "sku", product.getSku(), MAX_SKU, true);
        checkText(problems, "name", product.getName(), MAX_NAME, true);
        checkText(problems, "description", product.getDescription(), MAX_DESCRIPTION, false);
        String priceProblem = priceProblem(product.getPrice());
        if (priceProblem != null) {
            problems.add(priceProblem);
        }
        if (product.getCategoryId() <= 0) {
            problems.add("categoryId must be a positive category id");
        }
        if (!problems.isEmpty()) {
            throw HttpError.badRequest(String.join("; ", problems));
        }
    }

    static void validatePrice(BigDecimal price) {
        String problem = priceProblem(price);
        if (problem != null) {
            throw HttpError.badRequest(problem);
        }
    }

    private static String priceProblem(BigDecimal price) {
        if (price == null) {
            return "price is required";
        }
        if (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0) {
            return "price must be between 0 and " + MAX_PRICE;
        }
        return null;
    }

    private static void checkText(List<String> problems, String field, String value, int maxLength,
                                  boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(field + " is required");
            }
        } else if (value.length() > maxLength) {
            problems.add(field + " must be at most " + maxLength + " characters");
        }
    }
}
