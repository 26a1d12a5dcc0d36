package com.example.bench.watched;

import com.example.bench.Product;
import com.example.bench.store.ProductStore;

/** The same code as {@link ProductStore}, declared in the package discovery watches. */
public class WatchedProductStore extends ProductStore {

    @Override
    public Product findById(long id) {
        return super.findById(id);
    }

    @Override
    public Product findByIdFromDatabase(long id) {
        return super.findByIdFromDatabase(id);
    }

    @Override
    public void updatePrice(long id, int cents) {
        super.updatePrice(id, cents);
    }
}
