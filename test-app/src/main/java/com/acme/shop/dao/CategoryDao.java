package com.acme.shop.dao;

import com.acme.shop.model.Category;
import java.util.List;

public interface CategoryDao {

    /** Null when absent. */
    Category findById(long id);

    /** All categories in id order. */
    List<Category> findAll();
}
