DROP TABLE desk.order_lines;
DROP TABLE desk.estimates;
DROP TABLE desk.work_orders;
DROP TABLE desk.taxes;
DROP TABLE desk.parts;
DROP TABLE desk.services;
