package com.acme.shop.model;

import java.math.BigDecimal;

/**
 * Headline numbers of one category, counting only products that are still sold.
 */
public record CategorySummary(long categoryId, String name, int productCount, BigDecimal averagePrice) {
}
