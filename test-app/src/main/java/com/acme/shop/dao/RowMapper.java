package com.acme.shop.dao;

import java.sql.ResultSet;
import java.sql.SQLException;

@FunctionalInterface
interface RowMapper<T> {

    T map(ResultSet row) throws SQLException;
}
