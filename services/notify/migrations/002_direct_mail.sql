-- Account e-mails of other services (notify.SendMail): a delivery without a
-- channel or event, sent like any e-mail. The body holds a one-time link, so
-- it is blanked once the message is sent.
CREATE TABLE notify.direct_mail (
    delivery_id uuid PRIMARY KEY REFERENCES notify.deliveries (id) ON DELETE CASCADE,
    to_address text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL
);
