package com.acme.shop;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one shop on a free port for the whole test run and hands out clients for it.
 * The application is closed by JUnit when the run ends, as it is stored as an AutoCloseable.
 */
final class RunningShop implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningShop.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ShopClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ShopApplication shop = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(ShopApplication.class, type -> ShopApplication.start(0), ShopApplication.class);
        return new ShopClient(shop.port());
    }
}
