package com.acme.shop.dao;

import com.acme.shop.db.SqlStatementCounter;
import com.acme.shop.model.Category;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

public class JdbcCategoryDao extends JdbcDao implements CategoryDao {

    private static final String SELECT = "SELECT id, name, description FROM category";

    public JdbcCategoryDao(DataSource dataSource, SqlStatementCounter statementCounter) {
        super(dataSource, statementCounter);
    }

    @Override
    public Category findById(long id) {
        return withConnection(c -> queryForObject(c, SELECT + " WHERE id = ?", JdbcCategoryDao::toCategory, id));
    }

    @Override
    public List<Category> findAll() {
        return withConnection(c -> query(c, SELECT + " ORDER BY id", JdbcCategoryDao::toCategory));
    }

    private static Category toCategory(ResultSet row) throws SQLException {
        return new Category(row.getLong("id"), row.getString("name"), row.getString("description"));
    }
}
