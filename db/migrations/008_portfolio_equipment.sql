-- Change orders (Modify, M-1/O-13): a portfolio entry records the equipment delivered with the
-- product (O-6), so an equipment change can end the entry and open its successor with the new one.
ALTER TABLE portfolio_products ADD COLUMN equipment text;
